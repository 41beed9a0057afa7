// Longest common subsequence of two token-id sequences by dynamic programming, O(|a|·|b|) time and O(|b|) memory.
// The reference the bit-parallel version (lcs-bits.ts) is tested against; ids below 0 never match anything.
export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const row = new Int32Array(b.length + 1);
  for (let i = 0; i < a.length; i++) {
    let diagonal = 0;
    const x = a[i]!;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x >= 0 && x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

// The LCS ratio both docs and code use: 2·LCS(a, b) / (|a| + |b|), in [0, 1]; 1 means the same token sequence.
export function lcsRatioOf(lcs: number, lengthA: number, lengthB: number): number {
  return lengthA + lengthB === 0 ? 1 : (2 * lcs) / (lengthA + lengthB);
}
