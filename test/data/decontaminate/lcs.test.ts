import { describe, expect, it } from 'vitest';
import { lcsLength, lcsRatioOf } from '../../../src/data/decontaminate/lcs-length.ts';
import { createLcsScratch } from '../../../src/data/decontaminate/lcs-bits.ts';
import { seededRandom } from '../../helpers/data-dir.ts';

describe('LCS', () => {
  it('dynamic programming gives the textbook answers', () => {
    const ids = (s: string) => [...s].map((c) => c.charCodeAt(0));
    expect(lcsLength(ids('ABCBDAB'), ids('BDCABA'))).toBe(4);
    expect(lcsLength(ids('abc'), ids('xyz'))).toBe(0);
    expect(lcsLength([], ids('abc'))).toBe(0);
    expect(lcsLength([-1, -1], [-1, -1])).toBe(0);
    expect(lcsRatioOf(4, 7, 6)).toBeCloseTo(8 / 13);
  });

  it('the bit-parallel version agrees with dynamic programming on 2,000 random pairs, across word boundaries', () => {
    const random = seededRandom(7);
    const scratch = createLcsScratch(12);
    for (let n = 0; n < 2000; n++) {
      const length = () => Math.floor(random() * 140);
      const alphabet = 2 + Math.floor(random() * 10);
      const a = Array.from({ length: length() }, () => Math.floor(random() * alphabet));
      const b = Array.from({ length: length() }, () => (random() < 0.05 ? -1 : Math.floor(random() * alphabet)));
      scratch.load(a);
      expect(scratch.lcs(b)).toBe(lcsLength(a, b));
    }
  });

  it('ids outside the vocabulary match nothing, and reloading forgets the previous sequence', () => {
    const scratch = createLcsScratch(4);
    scratch.load([0, 1, 2, 3]);
    expect(scratch.lcs([0, 1, 2, 3])).toBe(4);
    scratch.load([9, 9, 1]);
    expect(scratch.lcs([9, 9, 1, 0])).toBe(1);
  });
});
