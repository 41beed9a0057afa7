// The toy task's problems: operations, kinds, drawing a problem, and question text both ways.
import { randInt } from './random.mjs';

export const OPS = ['add', 'sub', 'mul'];
export const DIGITS = [2, 3];

// Question templates per operation; {a} and {b} are the operands. Word problems and bare ones.
const TEMPLATES = {
  add: [
    'What is {a} + {b}?',
    'A library has {a} books and buys {b} more. How many books does it have now?',
    'Compute {a} plus {b}.',
  ],
  sub: [
    'What is {a} - {b}?',
    'A tank holds {a} liters and {b} liters are drained. How many liters remain?',
    'Compute {a} minus {b}.',
  ],
  mul: [
    'What is {a} × {b}?',
    'Each box holds {a} pencils. How many pencils are in {b} boxes?',
    'Compute {a} times {b}.',
  ],
};

// The same templates as regular expressions, so any script can recover (op, a, b) from a question.
const TEMPLATE_RES = Object.entries(TEMPLATES).flatMap(([op, list]) =>
  list.map((t) => ({
    op,
    re: new RegExp(
      '^' + t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{a}', '(\\d+)').replace('{b}', '(\\d+)') + '$',
    ),
  })),
);

// Digit i (0 = ones) of a non-negative integer.
export function digit(n, i) {
  return Math.floor(n / 10 ** i) % 10;
}

// Number of decimal digits of a non-negative integer.
export function ndigits(n) {
  return String(n).length;
}

// The exact answer of a problem.
export function solve(p) {
  if (p.op === 'add') return p.a + p.b;
  if (p.op === 'sub') return p.a - p.b;
  return p.a * p.b;
}

// Whether working the problem column by column needs a carry (add, mul) or a borrow (sub) between columns.
export function needsCarry(p) {
  const cols = ndigits(p.a);
  let carry = 0;
  for (let i = 0; i < cols - 1; i += 1) {
    const da = digit(p.a, i);
    if (p.op === 'add') carry = da + digit(p.b, i) + carry >= 10 ? 1 : 0;
    else if (p.op === 'sub') carry = da - carry < digit(p.b, i) ? 1 : 0;
    else carry = Math.floor((da * p.b + carry) / 10);
    if (carry) return true;
  }
  return false;
}

// A problem's kind: what the policy conditions on (operation, digit count, carries or not), e.g. "mul3c".
export function kindOf(p) {
  return `${p.op}${ndigits(p.a)}${needsCarry(p) ? 'c' : 'n'}`;
}

// Every kind, in a fixed order.
export const KINDS = OPS.flatMap((op) => DIGITS.flatMap((d) => [`${op}${d}n`, `${op}${d}c`]));

// Splits a kind name back into its parts.
export function parseKind(kind) {
  const m = /^(add|sub|mul)(\d)([nc])$/.exec(kind);
  if (!m) throw new Error(`bad kind ${kind}`);
  return { op: m[1], digits: Number(m[2]), carry: m[3] === 'c' };
}

// Draws a problem of the given kind (rejection sampling on the carry condition).
// add: two D-digit numbers; sub: D-digit minus a smaller D-digit number; mul: D-digit times 2..9.
export function generateProblem(rng, kind) {
  const { op, digits, carry } = parseKind(kind);
  const lo = 10 ** (digits - 1);
  const hi = 10 ** digits - 1;
  for (let tries = 0; tries < 10000; tries += 1) {
    const a = randInt(rng, lo, hi);
    const b = op === 'mul' ? randInt(rng, 2, 9) : randInt(rng, lo, hi);
    if (op === 'sub' && a - b < 10) continue;
    const p = { op, a, b };
    if (needsCarry(p) === carry) return p;
  }
  throw new Error(`could not draw a problem of kind ${kind}`);
}

// Writes a problem as a question with one of its operation's templates.
export function questionText(p, template) {
  const list = TEMPLATES[p.op];
  return list[template % list.length].replace('{a}', String(p.a)).replace('{b}', String(p.b));
}

// Number of templates for an operation.
export function templateCount(op) {
  return TEMPLATES[op].length;
}

// Reads a question back into a problem {op, a, b}; null when it matches no template.
export function parseQuestion(text) {
  for (const { op, re } of TEMPLATE_RES) {
    const m = re.exec(text);
    if (m) return { op, a: Number(m[1]), b: Number(m[2]) };
  }
  return null;
}
