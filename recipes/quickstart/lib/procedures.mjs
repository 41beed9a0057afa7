// The toy task's solution procedures (correct and buggy) and the worked-solution text each one writes.
import { digit, ndigits } from './problems.mjs';

// Solution procedures per operation. Each has a family shared across operations (the policy's global
// backoff level) and a flag for whether it is a correct method. Buggy methods still get some problems
// right: `nocarry` when no carry/borrow is needed, `round` when the rounded operand is already round.
export const PROCEDURES = {
  add: ['add.column', 'add.split', 'add.nocarry', 'add.round'],
  sub: ['sub.borrow', 'sub.split', 'sub.absdiff', 'sub.round'],
  mul: ['mul.column', 'mul.split', 'mul.nocarry', 'mul.round'],
};
export const FAMILIES = ['column', 'split', 'nocarry', 'round'];
export const CORRECT_PROCEDURES = new Set(['add.column', 'add.split', 'sub.borrow', 'sub.split', 'mul.column', 'mul.split']);

// The family of a procedure: its position in the operation's list.
export function familyOf(proc) {
  const op = proc.slice(0, 3);
  return FAMILIES[PROCEDURES[op].indexOf(proc)];
}

// Column names, ones first, as the step lines write them.
const PLACES = ['Ones', 'Tens', 'Hundreds', 'Thousands', 'Ten-thousands'];

// Rounds up to the next multiple of ten.
function ceil10(n) {
  return Math.ceil(n / 10) * 10;
}

// Renders the worked solution of problem p following procedure proc: step lines, then
// "The answer is N." Deterministic: the same (problem, procedure) always gives the same text.
export function renderResponse(p, proc) {
  const { lines, answer } = RENDER[proc](p);
  return [...lines, `The answer is ${answer}.`].join('\n');
}

// What a procedure answers on a problem (the number it ends with).
export function procedureAnswer(p, proc) {
  return RENDER[proc](p).answer;
}

const RENDER = {
  'add.column'({ a, b }) {
    const lines = ['Add column by column from the right, carrying when a column reaches ten.'];
    const cols = Math.max(ndigits(a), ndigits(b));
    let carry = 0;
    for (let i = 0; i < cols; i += 1) {
      const da = digit(a, i);
      const db = digit(b, i);
      const s = da + db + carry;
      const expr = carry ? `${da} + ${db} + ${carry}` : `${da} + ${db}`;
      if (i === cols - 1) lines.push(`${PLACES[i]}: ${expr} = ${s}. Write ${s}.`);
      else lines.push(`${PLACES[i]}: ${expr} = ${s}. Write ${s % 10}${s >= 10 ? ', carry 1' : ''}.`);
      carry = s >= 10 ? 1 : 0;
    }
    return { lines, answer: a + b };
  },
  'add.split'({ a, b }) {
    const lines = ['Split both numbers into place values and add each place.'];
    const cols = Math.max(ndigits(a), ndigits(b));
    const parts = [];
    for (let i = cols - 1; i >= 0; i -= 1) {
      const pa = digit(a, i) * 10 ** i;
      const pb = digit(b, i) * 10 ** i;
      lines.push(`${PLACES[i]}: ${pa} + ${pb} = ${pa + pb}.`);
      parts.push(pa + pb);
    }
    lines.push(`Combine: ${parts.join(' + ')} = ${a + b}.`);
    return { lines, answer: a + b };
  },
  'add.nocarry'({ a, b }) {
    const lines = ['Add each column on its own.'];
    const cols = Math.max(ndigits(a), ndigits(b));
    let out = '';
    for (let i = 0; i < cols; i += 1) {
      const s = digit(a, i) + digit(b, i);
      const keep = i === cols - 1 ? s : s % 10;
      lines.push(`${PLACES[i]}: ${digit(a, i)} + ${digit(b, i)} = ${s}, keep ${keep}.`);
      out = String(keep) + out;
    }
    return { lines, answer: Number(out) };
  },
  'add.round'({ a, b }) {
    if (b % 10 === 0) {
      return { lines: [`${b} is already a multiple of ten.`, `${a} + ${b} = ${a + b}.`, 'No adjustment needed.'], answer: a + b };
    }
    const up = ceil10(b);
    const d = up - b;
    // The bug: having added too much, it adds the difference again instead of taking it away.
    return {
      lines: [`Round ${b} up to ${up}.`, `${a} + ${up} = ${a + up}.`, `Adjust for the rounding: ${a + up} + ${d} = ${a + up + d}.`],
      answer: a + up + d,
    };
  },
  'sub.borrow'({ a, b }) {
    const lines = ['Subtract column by column from the right, borrowing when the top digit is too small.'];
    const cols = ndigits(a);
    let borrow = 0;
    let out = '';
    for (let i = 0; i < cols; i += 1) {
      const top = digit(a, i) - borrow;
      const db = digit(b, i);
      const lead = borrow ? `${PLACES[i]}, after lending one: ` : `${PLACES[i]}: `;
      if (top < db) {
        lines.push(`${lead}${top} is less than ${db}, borrow ten: ${top + 10} - ${db} = ${top + 10 - db}.`);
        out = String(top + 10 - db) + out;
        borrow = 1;
      } else {
        lines.push(`${lead}${top} - ${db} = ${top - db}.`);
        out = String(top - db) + out;
        borrow = 0;
      }
    }
    return { lines, answer: Number(out) };
  },
  'sub.split'({ a, b }) {
    const lines = ['Take away one place value at a time.'];
    let cur = a;
    for (let i = ndigits(b) - 1; i >= 0; i -= 1) {
      const part = digit(b, i) * 10 ** i;
      if (part === 0) continue;
      lines.push(`${cur} - ${part} = ${cur - part}.`);
      cur -= part;
    }
    return { lines, answer: cur };
  },
  'sub.absdiff'({ a, b }) {
    const lines = ['Subtract the smaller digit from the larger in each column.'];
    const cols = ndigits(a);
    let out = '';
    for (let i = 0; i < cols; i += 1) {
      const da = digit(a, i);
      const db = digit(b, i);
      const d = Math.abs(da - db);
      lines.push(`${PLACES[i]}: the digits are ${da} and ${db}, difference ${d}.`);
      out = String(d) + out;
    }
    return { lines, answer: Number(out) };
  },
  'sub.round'({ a, b }) {
    if (b % 10 === 0) {
      return { lines: [`${b} is already a multiple of ten.`, `${a} - ${b} = ${a - b}.`, 'No adjustment needed.'], answer: a - b };
    }
    const up = ceil10(b);
    const d = up - b;
    // The bug: having taken away too much, it takes the difference away again instead of adding it back.
    return {
      lines: [`Round ${b} up to ${up}.`, `${a} - ${up} = ${a - up}.`, `Adjust for the rounding: ${a - up} - ${d} = ${a - up - d}.`],
      answer: a - up - d,
    };
  },
  'mul.column'({ a, b }) {
    const lines = [`Multiply each digit of ${a} by ${b} from the right, carrying.`];
    const cols = ndigits(a);
    let carry = 0;
    let out = '';
    for (let i = 0; i < cols; i += 1) {
      const da = digit(a, i);
      const prod = da * b + carry;
      const expr = carry ? `${da} × ${b} + ${carry}` : `${da} × ${b}`;
      if (i === cols - 1) {
        lines.push(`${PLACES[i]}: ${expr} = ${prod}. Write ${prod}.`);
        out = String(prod) + out;
      } else {
        const c = Math.floor(prod / 10);
        lines.push(`${PLACES[i]}: ${expr} = ${prod}. Write ${prod % 10}${c ? `, carry ${c}` : ''}.`);
        out = String(prod % 10) + out;
        carry = c;
      }
    }
    return { lines, answer: Number(out) };
  },
  'mul.split'({ a, b }) {
    const lines = [`Split ${a} into place values and multiply each part by ${b}.`];
    const parts = [];
    for (let i = ndigits(a) - 1; i >= 0; i -= 1) {
      const part = digit(a, i) * 10 ** i;
      if (part === 0) continue;
      lines.push(`${part} × ${b} = ${part * b}.`);
      parts.push(part * b);
    }
    lines.push(`Add the parts: ${parts.join(' + ')} = ${a * b}.`);
    return { lines, answer: a * b };
  },
  'mul.nocarry'({ a, b }) {
    const lines = [`Multiply each digit of ${a} by ${b} on its own.`];
    const cols = ndigits(a);
    let out = '';
    for (let i = 0; i < cols; i += 1) {
      const prod = digit(a, i) * b;
      const keep = i === cols - 1 ? prod : prod % 10;
      lines.push(`${PLACES[i]}: ${digit(a, i)} × ${b} = ${prod}, keep ${keep}.`);
      out = String(keep) + out;
    }
    return { lines, answer: Number(out) };
  },
  'mul.round'({ a, b }) {
    if (a % 10 === 0) {
      return { lines: [`${a} is already a multiple of ten.`, `${a} × ${b} = ${a * b}.`, 'No adjustment needed.'], answer: a * b };
    }
    const up = ceil10(a);
    const d = up - a;
    // The bug: the rounding overshoot is added instead of subtracted.
    return {
      lines: [`Round ${a} up to ${up}.`, `${up} × ${b} = ${up * b}.`, `Adjust for the rounding: ${up * b} + ${d} × ${b} = ${up * b + d * b}.`],
      answer: up * b + d * b,
    };
  },
};
