// The tokenizer's fast path for pure-ASCII text (most English and LaTeX math): the same tokens as
// tokenize(text) (normalize, then the TOKEN expression), found by one pass over the characters instead of NFKC, a
// lower-cased copy and a regular expression, and given as [start, end) ranges of the original text, so callers hash
// or look tokens up without making a string each. On ASCII, NFKC changes nothing, lower case maps A–Z only, `$ \ { }`
// become spaces, letters are [a-z] (no combining marks, no Han), digits [0-9], and JavaScript's \s is tab, LF, VT,
// FF, CR and space; every other character is a token of its own.
const SPACE = 0;
const LETTER = 1;
const DIGIT = 2;
const OTHER = 3;
const CLASS = new Uint8Array(128).fill(OTHER);
for (const c of [9, 10, 11, 12, 13, 32, 36, 92, 123, 125]) CLASS[c] = SPACE;
for (let c = 97; c <= 122; c++) CLASS[c] = CLASS[c - 32] = LETTER;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;

export interface TokenRanges {
  // Token k is text[starts[k], ends[k]) (lower-cased: A–Z in it stand for a–z).
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

// Fills `into` (grown when short) with the tokens' ranges and returns it, or returns undefined when the text holds a
// character outside ASCII (the caller then takes tokenize()).
export function asciiTokens(text: string, into: TokenRanges): TokenRanges | undefined {
  const length = text.length;
  if (into.starts.length < length) {
    into.starts = new Int32Array(length + 16);
    into.ends = new Int32Array(length + 16);
  }
  const { starts, ends } = into;
  let count = 0;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c >= 128) return undefined;
    const kind = CLASS[c]!;
    if (kind === SPACE) {
      i++;
      continue;
    }
    const start = i++;
    if (kind === LETTER) {
      while (i < length) {
        const d = text.charCodeAt(i);
        if (d >= 128) return undefined;
        if (CLASS[d] !== LETTER) break;
        i++;
      }
    } else if (kind === DIGIT) {
      for (;;) {
        while (i < length && CLASS[text.charCodeAt(i)] === DIGIT) i++;
        // A decimal part: "." followed by a digit (ASCII; a non-ASCII digit after "." is caught on the next pass).
        if (i + 1 < length && text.charCodeAt(i) === 46 && CLASS[text.charCodeAt(i + 1)] === DIGIT) i++;
        else break;
      }
      if (i < length && text.charCodeAt(i) >= 128) return undefined;
    }
    starts[count] = start;
    ends[count] = i;
    count++;
  }
  into.count = count;
  return into;
}

export function emptyTokenRanges(): TokenRanges {
  return { starts: new Int32Array(256), ends: new Int32Array(256), count: 0 };
}
