// Shared code for the quickstart scripts: seeded randomness, JSONL, arguments, the toy arithmetic
// task (problems, solution procedures, response text), and the reward model's text features.
// Node built-ins only. docs/quickstart.md explains the task and why the loop improves it.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

// ---------------------------------------------------------------- errors and entry point

// A bad command line: the entry point prints it on stderr and exits 2.
export class UsageError extends Error {}

// Runs a script's main function: usage errors exit 2, anything else exits 1, with a one-line message.
export function runMain(name, usage, fn) {
  try {
    fn(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${name}: ${err.message}\nusage: ${usage}\n`);
      process.exit(2);
    }
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

// ---------------------------------------------------------------- arguments

// Parses `--flag value` pairs against a spec {flag: {type, required, repeat, choices, default}}.
// type is 'string' | 'int' | 'number' | 'choice'; repeatable flags collect into arrays.
export function parseArgs(argv, spec) {
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const tok = argv[i];
    if (!tok.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(tok)}`);
    const name = tok.slice(2);
    const def = spec[name];
    if (!def) throw new UsageError(`unknown option --${name}`);
    if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
    const raw = argv[++i];
    const value = convert(name, def, raw);
    if (def.repeat) (out[name] ??= []).push(value);
    else if (name in out) throw new UsageError(`--${name} given twice`);
    else out[name] = value;
  }
  for (const [name, def] of Object.entries(spec)) {
    if (name in out) continue;
    if (def.default !== undefined) out[name] = def.default;
    else if (def.required !== false) throw new UsageError(`missing --${name}`);
  }
  return out;
}

// Converts one option value, naming the option and echoing the bad value when it does not fit.
function convert(name, def, raw) {
  switch (def.type ?? 'string') {
    case 'string':
      if (raw === '') throw new UsageError(`--${name} must not be empty`);
      return raw;
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(raw)}`);
      const v = Number(raw);
      if (def.min !== undefined && v < def.min) throw new UsageError(`--${name} must be >= ${def.min}, got ${raw}`);
      return v;
    }
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(raw)}`);
      return v;
    }
    case 'choice':
      if (!def.choices.includes(raw)) {
        throw new UsageError(`--${name} must be one of ${def.choices.join(', ')}, got ${JSON.stringify(raw)}`);
      }
      return raw;
    default:
      throw new Error(`bad spec type for --${name}`);
  }
}

// Fails with a usage error when an input file named on the command line does not exist.
export function requireFile(flag, path) {
  if (!existsSync(path)) throw new UsageError(`--${flag}: no such file ${path}`);
  return path;
}

// ---------------------------------------------------------------- files

// Reads a JSONL file into an array of objects (blank lines skipped, bad lines name their line number).
export function readJsonl(path) {
  const rows = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
  });
  return rows;
}

// Writes objects as JSONL, one per line, with a trailing newline (creating the folder if needed).
export function writeJsonl(path, rows) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
}

// Writes one JSON document (a model file), creating the folder if needed.
export function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 1) + '\n');
}

// Writes metrics.json beside an output file; refuses anything but finite numbers so the engine can trust it.
export function writeMetrics(outFile, metrics) {
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`metric ${k} is not a finite number: ${v}`);
  }
  writeFileSync(join(dirname(outFile), 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
}

// Rounds for metrics and printing, so files stay readable and identical across runs.
export function round(x, digits = 4) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------------------------------------------------------------- seeded randomness

// 32-bit FNV-1a of a string: turns (seed, purpose) labels into independent stream seeds.
export function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). Identical on every platform.
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A PRNG for one purpose under one seed, e.g. rngFor(7, 'sample', queryId).
export function rngFor(seed, ...labels) {
  return mulberry32(hash32([String(seed), ...labels.map(String)].join('\u0000')));
}

// Uniform integer in [lo, hi].
export function randInt(rng, lo, hi) {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

// Draws an index from unnormalized non-negative weights.
export function drawIndex(rng, weights) {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng() * total;
  for (let i = 0; i < weights.length; i += 1) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

// Fisher-Yates shuffle in place.
export function shuffle(rng, arr) {
  for (let i = arr.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

// ---------------------------------------------------------------- the toy task: problems

export const OPS = ['add', 'sub', 'mul'];
export const DIGITS = [2, 3];
const PLACES = ['Ones', 'Tens', 'Hundreds', 'Thousands', 'Ten-thousands'];

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

// ---------------------------------------------------------------- the toy task: procedures

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

// ---------------------------------------------------------------- reading responses back

// Extracts the final answer: the number on the last "The answer is N" line (commas allowed), or null.
export function extractAnswer(text) {
  if (typeof text !== 'string') return null;
  const re = /the answer is\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/gi;
  let last = null;
  for (const m of text.matchAll(re)) last = m[1];
  if (last === null) return null;
  const clean = last.replace(/,/g, '');
  const n = Number(clean);
  return Number.isFinite(n) ? String(n) : null;
}

// Step-line shapes per procedure. A response follows a procedure when its step lines have that shape;
// this is what train-sft "learns from the text", without being told which procedure wrote it.
const NUM = '-?\\d+';
const PLACE = '(?:Ones|Tens|Hundreds|Thousands|Ten-thousands)';
const LINE_SHAPES = {
  'add.column': [/^Add column by column from the right/, new RegExp(`^${PLACE}: ${NUM} \\+ ${NUM}( \\+ 1)? = ${NUM}\\. Write ${NUM}(, carry 1)?\\.$`)],
  'add.split': [/^Split both numbers into place values/, new RegExp(`^${PLACE}: ${NUM} \\+ ${NUM} = ${NUM}\\.$`), /^Combine: /],
  'add.nocarry': [/^Add each column on its own\.$/, new RegExp(`^${PLACE}: ${NUM} \\+ ${NUM} = ${NUM}, keep ${NUM}\\.$`)],
  'add.round': [/^Round \d+ up to \d+\.$/, /^\d+ is already a multiple of ten\.$/, /^\d+ \+ \d+ = \d+\.$/, /^Adjust for the rounding: \d+ \+ \d+ = \d+\.$/, /^No adjustment needed\.$/],
  'sub.borrow': [/^Subtract column by column from the right/, new RegExp(`^${PLACE}(, after lending one)?: ${NUM} (- ${NUM} = ${NUM}|is less than ${NUM}, borrow ten: ${NUM} - ${NUM} = ${NUM})\\.$`)],
  'sub.split': [/^Take away one place value at a time\.$/, /^\d+ - \d+ = -?\d+\.$/],
  'sub.absdiff': [/^Subtract the smaller digit from the larger/, new RegExp(`^${PLACE}: the digits are ${NUM} and ${NUM}, difference ${NUM}\\.$`)],
  'sub.round': [/^Round \d+ up to \d+\.$/, /^\d+ is already a multiple of ten\.$/, /^\d+ - \d+ = -?\d+\.$/, /^Adjust for the rounding: -?\d+ - \d+ = -?\d+\.$/, /^No adjustment needed\.$/],
  'mul.column': [/^Multiply each digit of \d+ by \d+ from the right, carrying\.$/, new RegExp(`^${PLACE}: ${NUM} × ${NUM}( \\+ ${NUM})? = ${NUM}\\. Write ${NUM}(, carry ${NUM})?\\.$`)],
  'mul.split': [/^Split \d+ into place values and multiply/, /^\d+ × \d+ = \d+\.$/, /^Add the parts: /],
  'mul.nocarry': [/^Multiply each digit of \d+ by \d+ on its own\.$/, new RegExp(`^${PLACE}: ${NUM} × ${NUM} = ${NUM}, keep ${NUM}\\.$`)],
  'mul.round': [/^Round \d+ up to \d+\.$/, /^\d+ is already a multiple of ten\.$/, /^\d+ × \d+ = \d+\.$/, /^Adjust for the rounding: \d+ \+ \d+ × \d+ = \d+\.$/, /^No adjustment needed\.$/],
};

// Which procedure a response's step lines follow, within the question's operation: the one whose
// line shapes cover every step line and that has its own opening line. null when none fits.
export function parseProcedure(text, op) {
  if (typeof text !== 'string') return null;
  const steps = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^the answer is/i.test(l));
  if (steps.length === 0) return null;
  for (const proc of PROCEDURES[op] ?? []) {
    const shapes = LINE_SHAPES[proc];
    if (!steps.every((line) => shapes.some((re) => re.test(line)))) continue;
    // Round-family responses open with one of their two first lines; the others with their heading.
    const opener = familyOf(proc) === 'round' ? shapes.slice(0, 2) : shapes.slice(0, 1);
    if (opener.some((re) => re.test(steps[0]))) return proc;
  }
  return null;
}

// ---------------------------------------------------------------- reward-model features

// Tokens of a response for the RM: lower-case words, punctuation, and numbers reduced to their
// digit count ("<n2>") so the model learns patterns, not particular numbers.
export function tokens(text) {
  return text
    .toLowerCase()
    .replace(/-?\d+/g, (m) => ` <n${m.replace('-', '').length}> `)
    .match(/<n\d+>|[a-z]+|[^\s\w]/g) ?? [];
}

// Binary features: unigrams and bigrams of the tokens, per line (so a bigram never spans two steps).
export function textFeatures(text) {
  const feats = new Set();
  for (const line of text.split('\n')) {
    const toks = tokens(line);
    for (let i = 0; i < toks.length; i += 1) {
      feats.add(`u:${toks[i]}`);
      if (i + 1 < toks.length) feats.add(`b:${toks[i]} ${toks[i + 1]}`);
    }
  }
  return [...feats];
}

// Logistic function.
export function sigmoid(z) {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

// The RM's score of a response: the logit w·x + b over its known features.
export function rmScore(rm, text) {
  let z = rm.bias;
  for (const f of textFeatures(text)) {
    const w = rm.weights[f];
    if (w !== undefined) z += w;
  }
  return z;
}

// Reward-model training settings: held-out share (by query), epochs, step size, L2, minimum feature count.
export const RM_TRAINING = { holdout: 0.2, epochs: 300, learningRate: 0.5, l2: 1e-3, minCount: 2 };

// Mean log loss and accuracy (score > 0 ⇔ predicted correct) of weights on encoded examples
// {x: feature indices, y: 0/1, count: how many identical rows it stands for}.
function evaluateRm(w, bias, data) {
  let loss = 0;
  let hits = 0;
  let n = 0;
  for (const { x, y, count } of data) {
    let z = bias;
    for (const j of x) z += w[j];
    const p = Math.min(Math.max(sigmoid(z), 1e-12), 1 - 1e-12);
    loss -= count * (y ? Math.log(p) : Math.log(1 - p));
    if ((z > 0) === (y === 1)) hits += count;
    n += count;
  }
  return { loss: n ? loss / n : 0, accuracy: n ? hits / n : 0 };
}

// Collapses identical (response, label) rows into one weighted example: same loss, less work.
function collapse(rows) {
  const groups = new Map();
  for (const r of rows) {
    const key = `${r.correct ? 1 : 0}\u0000${r.response}`;
    const g = groups.get(key);
    if (g) g.count += 1;
    else groups.set(key, { response: r.response, y: r.correct ? 1 : 0, count: 1 });
  }
  return [...groups.values()];
}

// Fits the RM on graded rows {id, response, correct}: split by query (a query's responses on one side),
// vocabulary from the training side, gradient descent on the mean log loss + L2. Returns the model
// {bias, weights: {feature: w}} and its train / held-out loss and accuracy.
export function trainRewardModel(rows, seed, settings = RM_TRAINING) {
  const ids = shuffle(rngFor(seed, 'rm-split'), [...new Set(rows.map((r) => r.id))].sort());
  const heldIds = new Set(ids.slice(0, Math.round(ids.length * settings.holdout)));
  const trainGroups = collapse(rows.filter((r) => !heldIds.has(r.id)));
  const heldGroups = collapse(rows.filter((r) => heldIds.has(r.id)));
  const trainFeats = trainGroups.map((g) => textFeatures(g.response));
  const counts = new Map();
  trainFeats.forEach((fs, i) => {
    for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + trainGroups[i].count);
  });
  const vocab = [...counts.keys()].filter((f) => counts.get(f) >= settings.minCount).sort();
  const index = new Map(vocab.map((f, j) => [f, j]));
  const encode = (feats) => feats.map((f) => index.get(f)).filter((j) => j !== undefined);
  const train = trainGroups.map((g, i) => ({ x: encode(trainFeats[i]), y: g.y, count: g.count }));
  const held = heldGroups.map((g) => ({ x: encode(textFeatures(g.response)), y: g.y, count: g.count }));
  const n = Math.max(train.reduce((s, e) => s + e.count, 0), 1);

  const w = new Float64Array(vocab.length);
  const grad = new Float64Array(vocab.length);
  let bias = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
    grad.fill(0);
    let gb = 0;
    for (const { x, y, count } of train) {
      let z = bias;
      for (const j of x) z += w[j];
      const g = count * (sigmoid(z) - y);
      gb += g;
      for (const j of x) grad[j] += g;
    }
    for (let j = 0; j < w.length; j += 1) w[j] -= settings.learningRate * (grad[j] / n + settings.l2 * w[j]);
    bias -= settings.learningRate * (gb / n);
  }
  const weights = {};
  vocab.forEach((f, j) => {
    if (Math.abs(w[j]) > 1e-6) weights[f] = round(w[j], 6);
  });
  const trainEval = evaluateRm(w, bias, train);
  return {
    rm: { format: 'quickstart-rm/1', bias: round(bias, 6), weights },
    stats: {
      train: trainEval,
      heldout: held.length ? evaluateRm(w, bias, held) : trainEval,
      trainExamples: n,
      heldoutExamples: held.reduce((s, e) => s + e.count, 0),
      features: vocab.length,
    },
  };
}

// ---------------------------------------------------------------- the policy

// The policy's backoff weights λ: a kind's distribution is (1 − λ.kind) of its own counts plus λ.kind of
// its operation's; an operation's is (1 − λ.op) of its own plus λ.op of the procedure families' pooled
// over all operations; the families' is (1 − λ.family) counts plus λ.family uniform. λ.op is how
// much a method learnt for one operation carries over to the others ("generalization").
export const POLICY_SMOOTHING = { kind: 0.03, op: 0.2, family: 0.05 };

// The policy's distribution over procedures for a problem kind (falls back to the operation level).
export function policyDist(policy, kind) {
  const op = kind.slice(0, 3);
  return policy.kinds[kind] ?? policy.ops[op];
}

// Counts procedures per kind, per operation and per family from the parsed examples.
function countExamples(examples) {
  const kind = {};
  const op = {};
  const family = Object.fromEntries(FAMILIES.map((f) => [f, 0]));
  for (const { k, proc } of examples) {
    const o = k.slice(0, 3);
    kind[k] ??= {};
    kind[k][proc] = (kind[k][proc] ?? 0) + 1;
    op[o] ??= {};
    op[o][proc] = (op[o][proc] ?? 0) + 1;
    family[familyOf(proc)] += 1;
  }
  return { kind, op, family };
}

// Interpolated estimate (1 − λ)·count/n + λ·prior for each item; the prior alone when there is no data.
function smooth(counts, items, prior, lambda) {
  const n = items.reduce((s, q) => s + (counts?.[q] ?? 0), 0);
  if (n === 0) return Object.fromEntries(items.map((q) => [q, prior[q]]));
  return Object.fromEntries(items.map((q) => [q, ((1 - lambda) * (counts?.[q] ?? 0)) / n + lambda * prior[q]]));
}

// Fits the backed-off policy from parsed examples.
export function fitPolicy(examples) {
  const c = countExamples(examples);
  const s = POLICY_SMOOTHING;
  const uniform = Object.fromEntries(FAMILIES.map((f) => [f, 1 / FAMILIES.length]));
  const family = smooth(c.family, FAMILIES, uniform, s.family);
  const ops = {};
  const kinds = {};
  for (const op of OPS) {
    const procs = PROCEDURES[op];
    ops[op] = smooth(c.op[op], procs, Object.fromEntries(procs.map((q) => [q, family[familyOf(q)]])), s.op);
  }
  for (const k of KINDS) {
    const op = k.slice(0, 3);
    kinds[k] = smooth(c.kind[k], PROCEDURES[op], ops[op], s.kind);
  }
  return { format: 'quickstart-policy/1', smoothing: s, family, ops, kinds };
}

// Mean negative log-likelihood of parsed examples {k, proc} under a policy.
export function policyLoss(policy, examples) {
  if (examples.length === 0) return 0;
  return examples.reduce((s, e) => s - Math.log(policy.kinds[e.k][e.proc]), 0) / examples.length;
}

// Samples one procedure for a problem from the policy (temperature 1).
export function sampleProcedure(policy, p, rng) {
  const dist = policyDist(policy, kindOf(p));
  const procs = PROCEDURES[p.op];
  return procs[drawIndex(rng, procs.map((q) => dist[q] ?? 0))];
}

// ---------------------------------------------------------------- rejection sampling

// Vote weights of one query's samples.
export function voteWeights(scores, vote) {
  if (vote === 'sigmoid') return scores.map(sigmoid);
  if (vote === 'raw') {
    const lo = Math.min(...scores);
    return scores.map((s) => s - lo + 1);
  }
  const hi = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - hi));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

// RM-weighted majority vote over final answers: {answer, margin} (margin = winner's share minus the
// runner-up's share of the total weight), or null when no sample has a final answer.
export function weightedVote(samples, vote) {
  const valid = samples.filter((s) => s.pred !== null);
  if (valid.length === 0) return null;
  const w = voteWeights(valid.map((s) => s.rm), vote);
  const tally = new Map();
  valid.forEach((s, i) => {
    const t = tally.get(s.pred) ?? { weight: 0, count: 0 };
    t.weight += w[i];
    t.count += 1;
    tally.set(s.pred, t);
  });
  // Deterministic order: weight, then count, then the answer string.
  const ranked = [...tally.entries()].sort((x, y) => y[1].weight - x[1].weight || y[1].count - x[1].count || (x[0] < y[0] ? -1 : 1));
  const total = ranked.reduce((s, [, t]) => s + t.weight, 0);
  const second = ranked[1]?.[1].weight ?? 0;
  return { answer: ranked[0][0], margin: total > 0 ? (ranked[0][1].weight - second) / total : 0 };
}

// The top-k distinct responses by rm among those whose answer is `answer` (ties broken by text).
export function topK(samples, answer, k) {
  const best = new Map();
  for (const s of samples) {
    if (s.pred !== answer) continue;
    if (!best.has(s.response) || best.get(s.response) < s.rm) best.set(s.response, s.rm);
  }
  return [...best.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, k).map(([response, rm]) => ({ response, rm }));
}
