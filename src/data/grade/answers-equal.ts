import { stripAnswer } from './strip-answer.ts';
import { numbersClose, parseNumber } from './parse-number.ts';
import { answerStructure, type AnswerList } from './answer-structure.ts';
import { splitTopLevel } from './split-top-level.ts';

const INTEGER = /^[+-]?\d+$/;

const QUICK = /^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

// A plain decimal number, optionally with thousands separators, and whether it is written as an integer.
function quickNumber(s: string): { value: number; integer: boolean } | null {
  if (!QUICK.test(s) || /^-?0,/.test(s)) return null;
  const integer = !s.includes('.') || /\.0+$/.test(s);
  return { value: Number(s.includes(',') ? s.replace(/,/g, '') : s), integer };
}

// Judges two stripped expressions symbolically (slow; run under a time budget).
export type SymbolicJudge = (a: string, b: string) => boolean;

// Whether a predicted answer equals the reference (Qwen2.5-Math's `math_equal`, docs/data/grading.md): the same text,
// the same number (relative tolerance 1e-4, percent forms when either side has a % sign), element-wise for tuples,
// intervals, sets and matrices, equations compared as lhs − rhs, and else symbolic equality. Without `symbolic`,
// answers that need the symbolic check give undefined, so fast callers can send only those to a worker.
export function answersEqual(
  pred: string | null | undefined,
  ref: string | null | undefined,
  symbolic?: SymbolicJudge,
): boolean | undefined {
  if (pred == null || ref == null) return false;
  if (pred.trim().toLowerCase() === ref.trim().toLowerCase()) return true;
  // The common case, plain numbers (thousands separators allowed), decided at once by the rules of compareStripped.
  const pq = quickNumber(pred);
  const rq = quickNumber(ref);
  if (pq !== null && rq !== null) return numbersClose(pq.value, rq.value, pq.integer && rq.integer ? 0 : 1e-4);
  const percent = pred.includes('%') || ref.includes('%');
  return compareStripped(stripAnswer(pred), stripAnswer(ref), percent, symbolic);
}

// The same judgement on answers already stripped.
export function compareStripped(p: string, r: string, percent: boolean, symbolic?: SymbolicJudge): boolean | undefined {
  if (p === '' || r === '') return p === r;
  if (p.toLowerCase() === r.toLowerCase()) return true;
  if (/^[A-E]$/.test(r)) return /^\(?([A-Ea-e])\)?$/.exec(p)?.[1]?.toUpperCase() === r;
  const pn = parseNumber(p);
  const rn = parseNumber(r);
  if (pn !== null && rn !== null) {
    // Two integers as written must be the same integer: 13536 is not 13535 (the tolerance is for decimals).
    const tolerance = INTEGER.test(p) && INTEGER.test(r) ? 0 : 1e-4;
    const close = (a: number, b: number) => numbersClose(a, b, tolerance);
    return close(pn, rn) || (percent && (close(pn, rn / 100) || close(pn, rn * 100)));
  }
  const pl = answerStructure(p);
  const rl = answerStructure(r);
  if (pl || rl) return pl && rl ? compareLists(pl, rl, percent, symbolic) : false;
  const pe = splitTopLevel(p, '=');
  const re = splitTopLevel(r, '=');
  if (pe.length !== re.length) return false;
  if (pe.length > 2) return false;
  if (/^[A-Za-z]{3,}$/.test(p) && /^[A-Za-z]{3,}$/.test(r)) return false; // words: only the same word is equal
  if (!symbolic) return undefined;
  if (pe.length === 2) {
    const a = `${pe[0]}-(${pe[1]})`;
    const b = `${re[0]}-(${re[1]})`;
    return symbolic(a, b) || symbolic(`-(${a})`, b);
  }
  return symbolic(p, r);
}

// Tuples and intervals compare in order with the same brackets (an open and a closed interval differ); sets and bare
// lists compare as multisets; a bare list matches a tuple in parentheses; matrices need the same shape.
function compareLists(p: AnswerList, r: AnswerList, percent: boolean, symbolic?: SymbolicJudge): boolean | undefined {
  if (p.items.length !== r.items.length) return false;
  // A matrix of one row or one column against a tuple or list: a vector, compared in order.
  const vector = (a: AnswerList, b: AnswerList) =>
    a.kind === 'matrix' && (a.rows === 1 || a.rows === a.items.length) && b.kind !== 'matrix' && b.kind !== 'set';
  if (vector(p, r) || vector(r, p)) return allEqual(p.items, r.items, percent, symbolic);
  if (p.kind === 'matrix' || r.kind === 'matrix') {
    if (p.kind !== r.kind || p.rows !== r.rows) return false;
    return allEqual(p.items, r.items, percent, symbolic);
  }
  const bareVsTuple = (a: AnswerList, b: AnswerList) => a.kind === 'bare' && b.kind === 'bracketed' && b.open === '(' && b.close === ')';
  if (p.kind === 'bracketed' || r.kind === 'bracketed') {
    const same = p.kind === r.kind && p.open === r.open && p.close === r.close;
    if (!same && !bareVsTuple(p, r) && !bareVsTuple(r, p)) return false;
    return allEqual(p.items, r.items, percent, symbolic);
  }
  return sameMultiset(p.items, r.items, percent, symbolic);
}

function allEqual(a: string[], b: string[], percent: boolean, symbolic?: SymbolicJudge): boolean | undefined {
  let unknown = false;
  for (let i = 0; i < a.length; i++) {
    const same = compareStripped(a[i]!, b[i]!, percent, symbolic);
    if (same === false) return false;
    if (same === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}

// Each item of `a` matched to a distinct equal item of `b` (greedy; items of an answer are rarely equal to each other).
function sameMultiset(a: string[], b: string[], percent: boolean, symbolic?: SymbolicJudge): boolean | undefined {
  const left = [...b];
  let unknown = false;
  for (const item of a) {
    let found = -1;
    for (let j = 0; j < left.length && found === -1; j++) {
      const same = compareStripped(item, left[j]!, percent, symbolic);
      if (same === true) found = j;
      else if (same === undefined) unknown = true;
    }
    if (found === -1) return unknown ? undefined : false;
    left.splice(found, 1);
  }
  return true;
}
