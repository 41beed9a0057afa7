import { boxedAnswer } from './boxed-answers.ts';
import { lastMathSpan } from './math-spans.ts';

const PHRASE = /(?:the (?:final )?answer is|final answer:?|\*\*answer:?\*\*:?|^answer:|答案(?:是|为)?[:：]?)\s*:?\s*/gim;
const PLAIN = /^-?[\d,]*\d(?:\.\d+)?$/;
const NUMBER = /(?<![A-Za-z_^])(?:-?\d[\d,]*(?:\.\d+)?(?:\/\d+)?|-?\.\d+)/g;

// `auto`: the precedence below; `boxed`: only a `\boxed{}` counts (a response without one has no answer).
export type ExtractMode = 'auto' | 'boxed';

// The final answer of a response (docs/data/grading.md §1), the first that applies:
//   1. the last `\boxed{…}` (with the boxes just before it that only "," / "and" / "or" separate: one answer),
//      unless a final-answer sentence (3.) comes after it;
//   2. GSM8K's `#### N`;
//   3. "the (final) answer is …", "Final answer: …", "**Answer:** …" (the last one);
//   4. a text that is itself an answer (no prose: "x^2+1", "\frac{1}{2}", "(1, 2)");
//   5. the last math span (`$…$`, `\(…\)`, `\[…\]`, `$$…$$`);
//   6. the last number (a fraction `a/b` counts as one).
// null when the text holds none.
export function extractAnswer(text: unknown, mode: ExtractMode = 'auto'): string | null {
  if (typeof text !== 'string' || text === '') return null;
  const boxed = boxedAnswer(text);
  if (boxed !== null) {
    // "… \boxed{255} … The final answer is $10,455$.": a final-answer sentence after the last box overrides it (a
    // plain "the answer is" does not).
    const after = Math.max(text.lastIndexOf('\\boxed'), text.lastIndexOf('\\fbox'));
    const tail = mode === 'auto' && /nswer/.test(text.slice(after)) ? text.slice(after) : '';
    const phrase = tail === '' ? null : lastMatch(PHRASE, tail);
    if (phrase !== null && /final/i.test(phrase[0])) {
      const answer = phraseAnswer(tail.slice(phrase.index + phrase[0].length));
      if (answer !== null) return answer;
    }
    return tidy(boxed);
  }
  if (mode === 'boxed') return null;
  const hashes = text.lastIndexOf('####');
  if (hashes !== -1) {
    const rest = text.slice(hashes + 4).replace(/^#+/, '');
    const answer = tidy(rest.split('\n', 1)[0]!);
    if (answer !== '') return answer;
  }
  const phrase = text.includes('nswer') || text.includes('NSWER') || text.includes('答案') ? lastMatch(PHRASE, text) : null;
  if (phrase) {
    const answer = phraseAnswer(text.slice(phrase.index + phrase[0].length));
    if (answer !== null) return answer;
  }
  if (isBare(text)) return tidy(text);
  // The last math span or the last number, whichever comes later ("… $d = 90/n$ … so there are 12 sequences").
  const span = lastMathSpan(text);
  const number = lastNumber(text);
  const prose = span !== null && (span.content.match(/[A-Za-z]{3,}/g) ?? []).length >= 2 && !/\\/.test(span.content);
  if (span !== null && !prose && (number === null || number.at < span.at + span.length)) return tidy(span.content);
  return number ? tidy(number.text) : null;
}

// A text with no prose around it is its own answer: at most one word of four letters or more outside LaTeX
// commands and \text{…}, and that only when it is the whole text ("Even"), no line breaks, no CJK.
function isBare(text: string): boolean {
  const t = text.trim();
  if (
    t.length > 2000 ||
    /\\boxed|\\fbox/.test(t) ||
    /\n\s*\n/.test(t) ||
    /[À-ÿ\u0400-\u04ff\u0590-\u08ff\u0900-\u0dff\u3000-\u9fff\uac00-\ud7af]/.test(t)
  )
    return false;
  if (PLAIN.test(t)) return true;
  const outside = t
    .replace(/\\begin\{array\}\{[^{}]*\}/g, ' ')
    .replace(/\\(?:begin|end)\{[a-z]+\*?\}/g, ' ')
    .replace(/\\(?:text|textbf|mathrm|mbox|operatorname|textnormal)\s*\{[^{}]*\}/g, ' ')
    .replace(/\\[A-Za-z]+/g, ' ');
  const words = outside.match(/[A-Za-z]{4,}/g) ?? [];
  const shortWords = (outside.match(/\b[A-Za-z]{2,}\b/g) ?? []).filter((w) => !['and', 'or', 'inf', 'infinity'].includes(w));
  if (/[A-Za-z]\s*:\s/.test(outside)) return false; // "m: 8", "Answer: 5"
  if (words.length === 0) return shortWords.length === 0 || (shortWords.length === 1 && /^\$*\s*[A-Za-z]+\s*\$*$/.test(t));
  return words.length === 1 && /^\$*\s*[A-Za-z]+\s*\$*$/.test(t);
}

// After "the answer is": a math span if one opens there, else the sentence, reduced to what follows its last
// "is"/"are"/"=" when it is prose ("The volume of $V$ is 120" → 120).
function phraseAnswer(rest: string): string | null {
  const math = /^\s*(?:\$\$([^$]+)\$\$|\$([^$]+)\$|\\\((.+?)\\\)|\\\[([\s\S]+?)\\\])/.exec(rest);
  if (math) return tidy((math[1] ?? math[2] ?? math[3] ?? math[4])!);
  const line = rest.split('\n', 1)[0]!;
  // A full stop ends the answer unless it is a decimal point (followed by a digit).
  const end = line.search(/\.(?!\d)|;|\s+(?:because|since|which|so|I hope)\b/);
  let answer = tidy(end === -1 ? line : line.slice(0, end));
  // "答案：每份应该是 (\frac{2}{5}) 吨": the words around the value are not the answer.
  if (/[\u3000-\u9fff\uff00-\uffef]/.test(answer)) answer = tidy(answer.replace(/[\u3000-\u9fff\uff00-\uffef]+/g, ' '));
  if (/[A-Za-z]{3,}\s+[A-Za-z]{2,}/.test(answer.replace(/\$[^$]*\$/g, ' '))) {
    const tail = /(?:\bis|\bare|\bequals|=)\s+([^=]+)$/.exec(answer);
    if (tail) answer = tidy(tail[1]!);
    const span = lastMathSpan(answer);
    if (span !== null && answer.trim().endsWith('$')) answer = tidy(span.content);
    else if (/[A-Za-z]{3,}\s+[A-Za-z]{2,}/.test(answer)) {
      const numbers = answer.match(NUMBER);
      if (numbers) answer = tidy(numbers[numbers.length - 1]!);
    }
  }
  return answer === '' ? null : answer;
}

function lastNumber(text: string): { text: string; at: number } | null {
  let last: RegExpExecArray | null = null;
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(text); m !== null; m = NUMBER.exec(text)) last = m;
  return last ? { text: last[0], at: last.index } : null;
}

function lastMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  pattern.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    last = m;
    if (m[0] === '') pattern.lastIndex += 1;
  }
  return last;
}

// Trims what surrounds an answer: spaces, `$`/`\(`/`\[` delimiters, a trailing full stop, a leading colon.
function tidy(answer: string): string {
  if (PLAIN.test(answer)) return answer;
  let a = answer.replace(/\s+/g, ' ').trim();
  a = a.replace(/^:\s*/, '');
  a = a.replace(/^(?:\$+|\\\(|\\\[)\s*|\s*(?:\$+|\\\)|\\\])$/g, '').trim();
  a = a.replace(/^(?:\$+|\\\(|\\\[)|(?:\$+|\\\)|\\\])$/g, '').trim();
  a = a.replace(/[.\s]+$/, '');
  return a;
}
