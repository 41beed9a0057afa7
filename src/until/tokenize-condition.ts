// Splits a condition into tokens. Never throws: a bad character becomes an `invalid` token carrying its
// message, so the parser reports problems in reading order (a call "f(" is reported before a quote inside it).

export type SymbolName = '+' | '-' | '*' | '/' | '(' | ')' | '>=' | '>' | '<=' | '<' | '==' | '!=' | 'and' | 'or' | 'not';

export type Token =
  | { kind: 'number'; text: string; offset: number; value: number }
  | { kind: 'name'; text: string; offset: number }
  | { kind: 'symbol'; text: string; offset: number; symbol: SymbolName }
  | { kind: 'invalid'; text: string; offset: number; message: string }
  | { kind: 'end'; text: ''; offset: number };

const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*/y;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NUMBER_TAIL = /[A-Za-z0-9_.]*/y;
const WORDS: Record<string, SymbolName> = { and: 'and', or: 'or', not: 'not' };
// Longest first, so ">=" wins over ">".
const SYMBOLS: ReadonlyArray<readonly [string, SymbolName]> = [
  ['>=', '>='],
  ['<=', '<='],
  ['==', '=='],
  ['!=', '!='],
  ['&&', 'and'],
  ['||', 'or'],
  ['>', '>'],
  ['<', '<'],
  ['!', 'not'],
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
  ['(', '('],
  [')', ')'],
];
const LONE: Record<string, string> = {
  '=': '"=" is not a comparison; use "==" to test equality or ">=" / "<=" for a threshold',
  '&': '"&" is not an operator; use "and" (or "&&")',
  '|': '"|" is not an operator; use "or" (or "||")',
};

// Turns condition text into tokens ending with one `end` token.
export function tokenizeCondition(src: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < src.length) {
    const ch = src[at] ?? '';
    if (/\s/.test(ch)) {
      at += 1;
      continue;
    }
    const token = readToken(src, at);
    tokens.push(token);
    at += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', offset: src.length });
  return tokens;
}

function readToken(src: string, at: number): Token {
  const name = match(NAME, src, at);
  if (name !== undefined) {
    const word = Object.hasOwn(WORDS, name) ? WORDS[name] : undefined;
    return word ? { kind: 'symbol', text: name, offset: at, symbol: word } : { kind: 'name', text: name, offset: at };
  }
  const number = match(NUMBER, src, at);
  if (number !== undefined) return readNumber(src, at, number);
  for (const [text, symbol] of SYMBOLS) {
    if (src.startsWith(text, at)) return { kind: 'symbol', text, offset: at, symbol };
  }
  const ch = String.fromCodePoint(src.codePointAt(at) ?? 0);
  const lone = Object.hasOwn(LONE, ch) ? LONE[ch] : undefined;
  return { kind: 'invalid', text: ch, offset: at, message: lone ?? unexpectedCharacter(ch) };
}

function readNumber(src: string, at: number, text: string): Token {
  const tail = match(NUMBER_TAIL, src, at + text.length) ?? '';
  if (tail !== '') {
    const whole = text + tail;
    return { kind: 'invalid', text: whole, offset: at, message: `malformed number ${quote(whole)}` };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    return { kind: 'invalid', text, offset: at, message: `number ${quote(text)} is too large` };
  }
  return { kind: 'number', text, offset: at, value };
}

function unexpectedCharacter(ch: string): string {
  const hint = ch === '"' || ch === "'" || ch === '`' ? '; conditions hold no strings' : '';
  return (
    `unexpected character ${quote(ch)}${hint}; a condition uses metric names, numbers, + - * / ( ), ` +
    `comparisons (>= > <= < == !=) and and/or/not`
  );
}

function match(re: RegExp, src: string, at: number): string | undefined {
  re.lastIndex = at;
  const m = re.exec(src);
  return m && m[0] !== '' ? m[0] : undefined;
}

// Quotes source text for a message, in single quotes when it holds a double quote.
export function quote(text: string): string {
  return text.includes('"') ? `'${text}'` : `"${text}"`;
}
