import { splitTopLevel } from './split-top-level.ts';

// Rewrites applied to a stripped answer (no spaces) so that the forms graders see as one answer compare as one:
// docs/data/grading.md §2. Each is a no-op on text it does not recognise.

// `>=`, `\geq`, `\gt`… → `\ge`, `>`…: one spelling per relation.
export function normalizeRelations(s: string): string {
  if (!/[<>!]|\\[lgn]/.test(s)) return s;
  return s
    .replace(/>=|\\geq?(?![a-z])|\\geqslant/g, '\\ge ')
    .replace(/<=|\\leq?(?![a-z])|\\leqslant/g, '\\le ')
    .replace(/!=|\\neq?(?![a-z])/g, '\\ne ')
    .replace(/\\gt(?![a-z])/g, '>')
    .replace(/\\lt(?![a-z])/g, '<')
    .replace(/ (?=[^A-Za-z0-9]|$)/g, '');
}

// "\frac{25}{2}=12.5\approx13" → "\frac{25}{2}=12.5": an approximation after the exact value is not the answer; with
// only a name before it ("x\approx11") the approximation is all there is.
export function dropApprox(s: string): string {
  const at = s.indexOf('\\approx');
  if (at === -1) return s;
  const before = s.slice(0, at);
  const after = s.slice(at + 7).replace(/^\s+/, '');
  if (before === '' || isName(before)) return after;
  return before;
}

// A left side that only names the answer: `x`, `f(x)`, `(p,q)`, `x_{1}`, `|AB|`, `V_1:V_2`, `\frac{NO}{BO}`.
export function isName(lhs: string): boolean {
  if (lhs.length > 24 || lhs === '') return false;
  const t = lhs
    .replace(/\\(?:left|right)/g, '')
    .replace(/\\(?:text|mathrm|operatorname)\{([^{}]*)\}/g, '$1')
    .replace(/\\frac\{([A-Za-z]+)\}\{([A-Za-z]+)\}/g, '$1$2')
    .replace(/_\{[^{}]*\}|_[A-Za-z0-9]/g, '')
    .replace(/\\(?:alpha|beta|gamma|theta|lambda|mu|phi|omega|angle|triangle)/g, 'a')
    .replace(/^\\[A-Za-z]+$/, 'a');
  return (
    /^[A-Za-z][A-Za-z']{0,3}(?:\([A-Za-z,]*\))?$/.test(t) ||
    /^\([A-Za-z](?:,[A-Za-z])+\)$/.test(t) ||
    /^\|[A-Za-z]+\|$/.test(t) ||
    /^[A-Za-z]+(?::[A-Za-z]+)+$/.test(t)
  );
}

// "x=5" → "5", "z=1+1=2" → "2" (a chain's last member), "x=1,y=2" → "1,2". An equation whose left side is not a
// name ("2x+4y=3") is left whole.
export function dropNames(s: string): string {
  if (!s.includes('=')) return s;
  const items = splitTopLevel(s, ',');
  if (items.length > 1) {
    const named = items.map((item) => splitTopLevel(item, '='));
    if (named.every((parts) => parts.length === 2 && isName(parts[0]!) && parts[1] !== '')) return named.map((p) => p[1]).join(',');
    // "(x,y)=(5,8),(8,5)", "a=4,-8,-10": a name before the first item only names them all.
    const [first, ...rest] = named;
    if (first!.length === 2 && isName(first![0]!) && first![1] !== '' && rest.every((parts) => parts.length === 1))
      return [first![1], ...rest.map((p) => p[0])].join(',');
    return s;
  }
  const parts = splitTopLevel(s, '=').filter((p) => !/\\[lgn]e$|[<>!]$/.test(p));
  if (parts.length < 2 || parts.some((p) => p === '')) return s;
  if (parts.length >= 3) return parts[parts.length - 1]!;
  // "x=5": a name; "\frac{25}{2}=12.5": a computation without unknowns, whose result is the answer.
  const lhs = parts[0]!;
  const unknowns = (t: string) => /[A-Za-z]/.test(t.replace(/\\[A-Za-z]+/g, ''));
  return isName(lhs) || (!unknowns(lhs) && !unknowns(parts[1]!)) ? parts[1]! : s;
}

const REL = /(\\le|\\ge|<|>)/;

// One-variable inequalities as intervals: "x\ge2" → "[2,\infty)", "-3<x\le5" → "(-3,5]", "-x>-1" → "(-\infty,1)",
// joined by "or" or \cup → a union. Anything else is left as written.
export function inequalityToInterval(s: string): string {
  if (!/[<>]|\\[lg]e/.test(s)) return s;
  let pieces = s.split(/\\cup|\\vee|,or,|(?<=[^a-z])or(?=[^a-z])|\\text\{or\}/);
  if (pieces.length === 1) {
    const items = splitTopLevel(s, ',');
    if (items.length > 1 && items.every((item) => REL.test(item))) pieces = items;
  }
  const out: string[] = [];
  for (const piece of pieces) {
    const interval = oneInequality(piece);
    if (interval === null) return s;
    out.push(interval);
  }
  return out.join('\\cup');
}

function oneInequality(s: string): string | null {
  if (/^[[(].*[\])]$/.test(s) && !REL.test(s)) return s; // already an interval
  const parts = s.split(REL).map((p) => p.trim());
  if (parts.length === 3) {
    let [left, op, right] = parts as [string, string, string];
    let negate = false;
    if (!isVariable(left) && isVariable(right)) {
      [left, right] = [right, left];
      op = flip(op);
    }
    if (left.startsWith('-') && isVariable(left.slice(1))) {
      negate = true;
      left = left.slice(1);
    }
    if (!isVariable(left) || isVariable(right) || right === '') return null;
    if (negate) {
      right = right.startsWith('-') ? right.slice(1) : `-${right}`;
      op = flip(op);
    }
    const closed = op === '\\le' || op === '\\ge';
    if (op === '<' || op === '\\le') return `(-\\infty,${right}${closed ? ']' : ')'}`;
    return `${closed ? '[' : '('}${right},\\infty)`;
  }
  if (parts.length === 5) {
    const [a, op1, v, op2, b] = parts as [string, string, string, string, string];
    if (!isVariable(v) || a === '' || b === '') return null;
    const lower = op1 === '<' || op1 === '\\le';
    if (lower !== (op2 === '<' || op2 === '\\le')) return null;
    const [lo, loOp, hi, hiOp] = lower ? [a, op1, b, op2] : [b, op2, a, op1];
    return `${loOp === '\\le' || loOp === '\\ge' ? '[' : '('}${lo},${hi}${hiOp === '\\le' || hiOp === '\\ge' ? ']' : ')'}`;
  }
  return null;
}

function isVariable(s: string): boolean {
  return /^(?:[A-Za-z](?:_\{?\w+\}?)?|[A-Za-z]\([A-Za-z]\))$/.test(s);
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '>' ? '<' : op === '\\le' ? '\\ge' : '\\le';
}

// "1\pm\sqrt{2}" → "1+\sqrt{2},1-\sqrt{2}", "\pm2" → "2,-2": the pair it stands for.
export function expandPlusMinus(s: string): string {
  const at = s.indexOf('\\pm');
  if (at === -1 || s.indexOf('\\pm', at + 1) !== -1 || s.includes(',')) return s;
  const before = s.slice(0, at);
  const after = s.slice(at + 3);
  if (after === '') return s;
  return before === '' ? `${after},-${after}` : `${before}+${after},${before}-${after}`;
}

// "p=5,q=2;p=7,q=2", "p=5, q=2 and p=7, q=2" → "(5,2),(7,2)": several solutions, each a group of named values, are a list of tuples.
export function namedGroups(s: string): string {
  if (!/;|\sand\s/.test(s) || !s.includes('=')) return s;
  const groups = s.split(/;|\s+and\s+/).map((group) => splitTopLevel(group, ',').map((item) => splitTopLevel(item.trim(), '=')));
  if (groups.length < 2 || groups.some((items) => items.length < 2 || items.some((p) => p.length !== 2 || !isName(p[0]!.trim())))) return s;
  return groups.map((items) => `(${items.map((p) => p[1]!.trim()).join(',')})`).join(',');
}
