// Reading a response back: its final answer, and which procedure its step lines follow.
import { PROCEDURES, familyOf } from './procedures.mjs';

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
