import { dropApprox, dropNames, expandPlusMinus, inequalityToInterval, namedGroups, normalizeRelations } from './canonical-forms.ts';
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

// Rewrites an extracted answer into a canonical string before comparison, after Qwen2.5-Math's `strip_string`: LaTeX
// spacing and sizing removed, `\dfrac`/`\tfrac` as `\frac`, units, degrees, dollars and percent signs dropped,
// thousands separators removed, `x = ` prefixes dropped, `\frac12` and `a/b` written `\frac{1}{2}`, no spaces.
// docs/data/grading.md lists where it deliberately differs (units, "and", `j`).
export function stripAnswer(answer: string): string {
  // Fast path for the common plain number (same result as the rules below: "12.50" stays, "12.0" becomes "12").
  if (PLAIN_NUMBER.test(answer)) return answer.replace(/\.0+$/, '');
  let s = decimalComma(answer.replace(/\n/g, ' ').trim());
  // Double-escaped LaTeX from JSON: "\\frac{1}{2}".
  if (/\\\\(?:[dtc]?frac|sqrt|left|right|begin|end|text|le|ge|pi|infty|cdot|in|pm|mathrm)(?![a-z])/.test(s)) s = s.replace(/\\\\/g, '\\');
  s = s.replace(/\.+$/, '').replace(/\\$/, '');
  s = s.replace(/,\\!\s*/g, ',');
  // "32, 349" is a list of two numbers; "32,349" one number.
  const spacedList = /\d,\s+\d/.test(s);
  // "1 1/2": a mixed number.
  s = s.replace(/^(-?\d+)\s+(\d+)\/(\d+)$/, '$1\\frac{$2}{$3}');
  // `{,}` is a decimal comma unless a group of three digits follows (then a thousands separator).
  s = s.replace(/(\d)\{,\}(\d+)/g, (_, a: string, b: string) => (b.length === 3 ? `${a},${b}` : `${a}.${b}`));
  s = s.replace(/\s*\b[ap]\.?m\.?$/i, '');
  s = s.replace(/(?<!\\)\\[!,;: ]|\\quad|\\qquad|\\displaystyle/g, ' ');
  s = s.replace(/\\begin\{array\}\{[^}]*\}/g, '\\begin{pmatrix}').replace(/\\end\{array\}/g, '\\end{pmatrix}');
  s = s.replace(/\\(begin|end)\{[bvBV]?matrix\}/g, '\\$1{pmatrix}').replace(/\\\\\s*\\end\{pmatrix\}/g, '\\end{pmatrix}');
  s = s.replace(/\\[dtc]frac/g, '\\frac');
  s = s
    .replace(/\\neq\b/g, '\\ne')
    .replace(/\\leq\b/g, '\\le')
    .replace(/\\geq\b/g, '\\ge');
  s = s.replace(/\\left\b|\\right\b|\\bigl|\\bigr|\\Bigl|\\Bigr|\\big|\\Big/g, '');
  s = s.replace(/\\\{/g, '{').replace(/\\\}/g, '}');
  s = s.replace(/\{,\}/g, ',');
  // A trailing \text{…} or \mbox{…} after something else is a unit: "5 \text{ cm}".
  const unit = s.replace(/\\(?:text|mbox|textrm|mathrm|textnormal)\{[^{}]*\}\s*$/, '').trim();
  if (unit !== '' && unit !== s) s = unit;
  s = s.replace(/\^\{?\\circ\}?|°|\\degree/g, '');
  s = s.replace(/\\\$|\$/g, '').replace(/\\\(|\\\)/g, '');
  s = s.replace(/\\(?:text|textbf|textrm|textnormal|mathrm|mathbf|mbox|operatorname)\{([^{}]*)\}/g, '$1');
  s = s.replace(/\\mathbf\b/g, '');
  s = s.replace(/\\emptyset|\\varnothing/g, '{}');
  s = s.replace(/\\%|%/g, '');
  s = dropUnitWords(s.trim());
  s = namedGroups(s);
  s = s
    .replace(/,?\s*\band\s+/g, ',')
    .replace(/\s+or\s+|(?<=[)\]}])or(?=[([{])/g, ',')
    .replace(/;/g, ',');
  // "1 000": thousands grouped by spaces, when that is the whole answer.
  if (/^-?\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(s)) s = s.replace(/ /g, '');
  s = s.replace(/(^|[\s{(,])\.(\d)/g, '$10.$2');
  s = s.replace(/\binfinity\b/g, '\\infty').replace(/(^|[^\\a-z])inf\b/g, '$1\\infty');
  s = s.replace(/(\d+)\.0+(?=\D|$)/g, '$1');
  s = s
    .replace(/(\\[A-Za-z]+)\s+(?=[A-Za-z0-9])/g, '$1\u0000')
    .replace(/\s+/g, '')
    .replace(/\u0000/g, ' ');
  s = s.replace(/\+\\infty/g, '\\infty');
  s = s.replace(/\(-\\infty,\\infty\)/g, '\\mathbb{R}');
  s = s.replace(/^[A-Za-z]\\(?:in|to)(?![A-Za-z])/, '');
  s = normalizeRelations(s);
  s = dropApprox(s);
  s = dropNames(s);
  s = s.replace(/^[A-Za-z]\\in(?![A-Za-z])/, '');
  s = inequalityToInterval(s);
  s = expandPlusMinus(s);
  s = s.replace(/_\{(\w)\}/g, '_$1');
  if (!spacedList) s = removeThousandsSeparators(s);
  s = s.replace(/\\sqrt(\w)/g, '\\sqrt{$1}');
  s = fixFracs(s);
  s = fixSlash(s);
  if (/^[{([][^,{}()[\]]*[})\]]$/.test(s)) s = s.slice(1, -1);
  // "(\begin{pmatrix}…\end{pmatrix})", "[\begin{pmatrix}…\end{pmatrix}]": brackets around a matrix.
  if (/^[([]\\begin\{pmatrix\}.*\\end\{pmatrix\}[)\]]$/.test(s) && s.indexOf('\\begin', 1) === 1 && s.lastIndexOf('\\begin') === 1)
    s = s.slice(1, -1);
  return s;
}

// "18 dollars", "5 square units": a number followed only by words (two letters or more each) keeps the number.
function dropUnitWords(s: string): string {
  const m = /^(-?[\d.,]+|-?\\frac\{[^{}]+\}\{[^{}]+\})\s*((?:[A-Za-z]{2,}\.?\s*)+)$/.exec(s);
  return m ? m[1]! : s;
}

// "1000,99", "2,74", "0,111" → a decimal comma: one comma between digits, not followed by a group of exactly three
// digits (that is a thousands separator) unless the integer part is 0. "1,5" stays a list of two numbers.
function decimalComma(s: string): string {
  const m = /^(-?\d+),(\d+)$/.exec(s);
  if (!m) return s;
  return (m[2]!.length !== 3 && m[2]!.length >= 2) || m[1] === '0' || m[1] === '-0' ? `${m[1]}.${m[2]}` : s;
}

// "1,234,567.5" → "1234567.5", only when the whole answer is such a number (else commas separate items).
function removeThousandsSeparators(s: string): string {
  return /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
}

// \frac12 → \frac{1}{2}, \frac1{72} → \frac{1}{72}, \frac{a}b → \frac{a}{b}.
function fixFracs(s: string): string {
  return s
    .replace(/\\frac(\d)(\d)/g, '\\frac{$1}{$2}')
    .replace(/\\frac([A-Za-z0-9])\{/g, '\\frac{$1}{')
    .replace(/\\frac\{([^{}]*)\}([A-Za-z0-9])/g, '\\frac{$1}{$2}');
}

// "3/4" → "\frac{3}{4}" when the whole answer is integer/integer.
function fixSlash(s: string): string {
  const m = /^(-?\d+)\/(\d+)$/.exec(s);
  return m ? `\\frac{${m[1]}}{${m[2]}}` : s;
}
