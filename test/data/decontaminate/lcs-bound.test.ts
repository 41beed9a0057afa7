import { describe, expect, it } from 'vitest';
import { createOverlapBound } from '../../../src/data/decontaminate/lcs-bound.ts';
import { lcsLength, lcsRatioOf } from '../../../src/data/decontaminate/lcs-length.ts';
import { leastLcs } from '../../../src/data/decontaminate/match-item.ts';
import { seededRandom } from '../../helpers/data-dir.ts';

// The multiset overlap by its definition: Σ over tokens of min(count in a, count in b), ids below 0 left out.
function overlapOf(a: number[], b: number[]): number {
  const count = new Map<number, number>();
  for (const x of a) if (x >= 0) count.set(x, (count.get(x) ?? 0) + 1);
  let shared = 0;
  for (const x of b) {
    const left = count.get(x) ?? 0;
    if (left > 0) (shared += 1), count.set(x, left - 1);
  }
  return shared;
}

describe('the LCS bound', () => {
  it('is the multiset overlap, never below the LCS: it reaches `enough` exactly when the overlap does', () => {
    const random = seededRandom(5);
    const bound = createOverlapBound(12);
    for (let n = 0; n < 2000; n++) {
      const alphabet = 2 + Math.floor(random() * 10);
      const a = Array.from({ length: Math.floor(random() * 80) }, () => (random() < 0.05 ? -1 : Math.floor(random() * alphabet)));
      const b = Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * alphabet));
      const overlap = overlapOf(a, b);
      expect(overlap).toBeGreaterThanOrEqual(lcsLength(a, b));
      bound.load(a, a.length);
      expect(bound.overlap(b, 0, b.length, overlap)).toBe(overlap);
      expect(bound.overlap(b, 0, b.length, overlap + 1)).toBeLessThan(overlap + 1);
      const enough = Math.floor(random() * 40);
      const capped = bound.overlap([7, ...b, 7], 1, b.length + 1, enough);
      expect(capped >= enough).toBe(overlap >= enough);
      if (overlap >= enough) expect(capped).toBe(enough);
    }
  });

  it('leastLcs is the least LCS length whose ratio reaches the threshold', () => {
    for (const threshold of [0.6, 0.5, 1 / 3, 0.75, 1])
      for (let m = 0; m < 60; m++)
        for (let n = 0; n < 60; n++) {
          let least = 0;
          while (least <= Math.min(m, n) && lcsRatioOf(least, m, n) < threshold) least++;
          expect(leastLcs(threshold, m, n)).toBe(least);
        }
  });
});
