// The distinct shingles of a token sequence as 32-bit hashes: every run of `size` consecutive tokens (a text shorter
// than that is one shingle of all its tokens; an empty text has none). Tokens are joined with U+0001, which no
// token contains, before hashing (FNV-1a, then the murmur3 finalizer to spread the bits).
export function shingleHashes(tokens: readonly string[], size: number): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const count = Math.max(1, tokens.length - size + 1);
  const seen = new Set<number>();
  for (let p = 0; p < count; p++) {
    let h = 0x811c9dc5;
    const end = Math.min(tokens.length, p + size);
    for (let t = p; t < end; t++) {
      const token = tokens[t]!;
      for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 1, 0x01000193);
    }
    seen.add(fmix32(h));
  }
  return Uint32Array.from(seen);
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
