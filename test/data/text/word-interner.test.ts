import { describe, expect, it } from 'vitest';
import { createWordInterner } from '../../../src/data/text/word-interner.ts';

describe('word interner', () => {
  it('gives ids in order of first sight, as a Map of the lower-cased words would, through growth', () => {
    const interner = createWordInterner();
    const reference = new Map<string, number>();
    // 5,000 distinct words (the table starts at 1,024 slots), each seen several times, in both cases.
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let n = 0; n < 20_000; n++) {
      const word = `w${next() % 5000}x`;
      const shown = next() % 2 ? word.toUpperCase() : word;
      const text = `  ${shown} `;
      const id = interner.idOfRange(text, 2, 2 + shown.length);
      if (!reference.has(word)) reference.set(word, reference.size);
      expect(id).toBe(reference.get(word));
    }
    expect(interner.words).toEqual([...reference.keys()]);
  });

  it('finds a word added whole (from tokenize) by its range in other text, and the other way round', () => {
    const interner = createWordInterner();
    expect(interner.add('sum')).toBe(0);
    expect(interner.add('σ')).toBe(1);
    expect(interner.idOfRange('The SUM of', 4, 7)).toBe(0);
    expect(interner.idOfRange('The SUM of', 0, 3)).toBe(2);
    expect(interner.add('the')).toBe(2);
    expect(interner.add('σ')).toBe(1);
    // Same length and hash bucket are not enough: the characters must match.
    expect(interner.idOfRange('sun', 0, 3)).toBe(3);
    expect(interner.words).toEqual(['sum', 'σ', 'the', 'sun']);
  });
});
