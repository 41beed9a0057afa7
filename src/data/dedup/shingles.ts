import { asciiTokens, emptyTokenRanges } from '../text/ascii-tokens.ts';
import { tokenize } from '../text/tokenize.ts';

// A text's shingles as 32-bit hashes: every run of `size` consecutive tokens (a text shorter than that is one
// shingle of all its tokens; an empty text has none), repeats included (MinHash over a multiset is MinHash over its
// set). A shingle's tokens are joined with U+0001, which no token contains, before hashing (FNV-1a, then the murmur3
// finalizer to spread the bits). ASCII text is tokenized by the fast path (ascii-tokens.ts), which gives the same
// tokens, read from the text's own characters (lower-cased) without a string per token.
// The array returned is the shingler's own, valid until its next call.
export function createShingler(size: number): (text: string) => Uint32Array {
  const ranges = emptyTokenRanges();
  let codes = new Uint16Array(1024);
  let hashes = new Uint32Array(1024);
  return (text) => {
    const fast = asciiTokens(text, ranges);
    if (!fast) return shingleHashes(tokenize(text), size);
    if (codes.length < text.length) codes = new Uint16Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      codes[i] = c >= 65 && c <= 90 ? c + 32 : c;
    }
    const { starts, ends, count } = fast;
    if (count === 0) return new Uint32Array(0);
    const shingles = Math.max(1, count - size + 1);
    if (hashes.length < shingles) hashes = new Uint32Array(shingles * 2);
    for (let p = 0; p < shingles; p++) {
      let h = 0x811c9dc5;
      const end = Math.min(count, p + size);
      for (let t = p; t < end; t++) {
        for (let i = starts[t]!; i < ends[t]!; i++) h = Math.imul(h ^ codes[i]!, 0x01000193);
        h = Math.imul(h ^ 1, 0x01000193);
      }
      hashes[p] = fmix32(h);
    }
    return hashes.subarray(0, shingles);
  };
}

// The shingle hashes of a token sequence (see createShingler).
export function shingleHashes(tokens: readonly string[], size: number): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const count = Math.max(1, tokens.length - size + 1);
  const out = new Uint32Array(count);
  for (let p = 0; p < count; p++) {
    let h = 0x811c9dc5;
    const end = Math.min(tokens.length, p + size);
    for (let t = p; t < end; t++) {
      const token = tokens[t]!;
      for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 1, 0x01000193);
    }
    out[p] = fmix32(h);
  }
  return out;
}

// murmur3's 32-bit finalizer: a bijection on 32-bit integers, so fmix32(x ^ seed) is a true permutation of them.
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
