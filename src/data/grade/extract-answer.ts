import { lastBoxed } from './last-boxed.ts';

const PHRASE = /(?:the (?:final )?answer is|final answer:?)\s*:?\s*/gi;
const PLAIN = /^-?[\d,]*\d(?:\.\d+)?$/;
const NUMBER = /-?\d[\d,]*(?:\.\d+)?|-?\.\d+/g;

// The final answer of a response, in the order of precedence the graders of GSM8K and MATH use: the last `\boxed{…}`,
// GSM8K's `#### N`, "the answer is …" / "final answer is …", else the last number. null when the text holds none.
export function extractAnswer(text: unknown): string | null {
  if (typeof text !== 'string' || text === '') return null;
  const boxed = lastBoxed(text);
  if (boxed !== null) return tidy(boxed);
  const hashes = text.lastIndexOf('####');
  if (hashes !== -1) {
    const rest = text.slice(hashes + 4).replace(/^#+/, '');
    const answer = tidy(rest.split('\n', 1)[0]!);
    if (answer !== '') return answer;
  }
  // indexOf first: the regex is only run on texts that can match it.
  const phrase = text.includes('nswer') || text.includes('NSWER') ? lastMatch(PHRASE, text) : null;
  if (phrase) {
    const answer = phraseAnswer(text.slice(phrase.index + phrase[0].length));
    if (answer !== null) return answer;
  }
  const numbers = text.match(NUMBER);
  return numbers ? tidy(numbers[numbers.length - 1]!) : null;
}

// After "the answer is": a `$…$` span if it opens there, else the rest of the line up to a sentence end.
function phraseAnswer(rest: string): string | null {
  const math = /^\$\$?([^$]+)\$/.exec(rest) ?? /^\\\((.+?)\\\)/.exec(rest);
  if (math) return tidy(math[1]!);
  const line = rest.split('\n', 1)[0]!;
  // A full stop ends the answer unless it is a decimal point (followed by a digit).
  const end = line.search(/\.(?!\d)|;|\s+(?:because|since|which|so)\b/);
  const answer = tidy(end === -1 ? line : line.slice(0, end));
  return answer === '' ? null : answer;
}

function lastMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  pattern.lastIndex = 0;
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) last = m;
  return last;
}

// Trims what surrounds an answer: spaces, `$` delimiters, a trailing full stop, a leading colon.
function tidy(answer: string): string {
  if (PLAIN.test(answer)) return answer;
  let a = answer.replace(/\s+/g, ' ').trim();
  a = a.replace(/^:\s*/, '');
  a = a.replace(/^\$+|\$+$/g, '').trim();
  a = a.replace(/[.\s]+$/, '');
  return a;
}
