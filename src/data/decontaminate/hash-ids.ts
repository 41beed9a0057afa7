// A 53-bit hash of `count` token ids starting at `start`: two 32-bit multiplicative lanes, 32 + 21 bits combined
// into one exact double, so it can key a Map without building a string. Collisions are possible but rare; callers
// that need exactness compare the tokens.
export function hashIds(ids: ArrayLike<number>, start: number, count: number): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 | 0;
  for (let i = start; i < start + count; i++) {
    const x = ids[i]!;
    h1 = Math.imul(h1 ^ x, 0x9e3779b1);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 + x, 0x85ebca77);
    h2 ^= h2 >>> 13;
  }
  return (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
}
