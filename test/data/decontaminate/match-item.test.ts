import { describe, expect, it } from 'vitest';
import { createMatcher } from '../../../src/data/decontaminate/match-item.ts';
import { buildTestIndex } from '../../../src/data/decontaminate/test-index.ts';
import { openTestIndex, shareTestIndex } from '../../../src/data/decontaminate/share-index.ts';
import { lcsLength, lcsRatioOf } from '../../../src/data/decontaminate/lcs-length.ts';
import { seededRandom } from '../../helpers/data-dir.ts';

const random = seededRandom(21);
const WORDS = ['ab', 'cd', 'ef', 'gh', 'ij', 'kl'];
const text = (length: number, unknown = 0) =>
  Array.from({ length }, () => (random() < unknown ? 'zz' : WORDS[Math.floor(random() * WORDS.length)]!)).join(' ');
const tests = Array.from({ length: 120 }, (_, i) => ({ set: 0, line: i + 1, text: text(3 + Math.floor(random() * 25)) }));
const trains = Array.from({ length: 300 }, () => text(1 + Math.floor(random() * 30), 0.05));
const split = (t: string) => t.split(' ');
const runs = (words: string[], n: number) =>
  Array.from({ length: Math.max(0, words.length - n + 1) }, (_, p) => words.slice(p, p + n).join(' '));

describe('the matcher against brute force', () => {
  for (const ngram of [2, 3, 5]) {
    it(`n = ${ngram}, shingles of 3: the n-gram found is the first shared one, at its first test occurrence`, () => {
      const index = buildTestIndex([{ name: 't', items: tests }], { ngram, shingle: 3, maxPostings: 40 });
      const match = createMatcher(index, { lcs: 0, maxCandidates: 30 });
      const first = new Map<string, { item: number; position: number }>();
      tests.forEach((t, item) => {
        runs(split(t.text), ngram).forEach((gram, position) => {
          if (!first.has(gram)) first.set(gram, { item, position });
        });
      });
      let caught = 0;
      for (const train of trains) {
        const gram = runs(split(train), ngram).find((g) => first.has(g));
        const verdict = match(train);
        expect(verdict.ngram && { item: verdict.ngram.item, position: verdict.ngram.position, text: verdict.ngram.text }).toEqual(
          gram === undefined ? undefined : { ...first.get(gram)!, text: gram },
        );
        if (gram) caught += 1;
      }
      expect(caught).toBeGreaterThan(10);
    });
  }

  it('with every shingle indexed and no candidate limit, the LCS verdict is the best ratio among items sharing a shingle', () => {
    const built = buildTestIndex([{ name: 't', items: tests }], { ngram: 0, shingle: 3, maxPostings: Infinity }, true);
    // Through the shared form a worker receives, so that path is checked too.
    const match = createMatcher(openTestIndex(shareTestIndex(built)), { lcs: 0.6, maxCandidates: Infinity });
    let caught = 0;
    for (const train of trains) {
      const words = split(train);
      const shingles = new Set(runs(words, 3).filter((s) => !s.includes('zz')));
      const ids = words.map((w) => (w === 'zz' ? -1 : WORDS.indexOf(w)));
      let best: number | undefined;
      for (const t of tests) {
        const testWords = split(t.text);
        if (!runs(testWords, 3).some((s) => shingles.has(s))) continue;
        const ratio = lcsRatioOf(
          lcsLength(
            ids,
            testWords.map((w) => WORDS.indexOf(w)),
          ),
          ids.length,
          testWords.length,
        );
        if (ratio >= 0.6 && (best === undefined || ratio > best)) best = ratio;
      }
      expect(match(train).lcs?.ratio).toBe(best);
      if (best !== undefined) caught += 1;
    }
    expect(caught).toBeGreaterThan(10);
  });
});
