import { describe, expect, it } from 'vitest';
import { createWordTable } from '../../../src/data/text/word-table.ts';
import { seededRandom } from '../../helpers/data-dir.ts';

describe('the word table', () => {
  it("finds each word's id from a range of a text, upper case read as lower, and -1 for any other token", () => {
    const random = seededRandom(17);
    const letters = 'abcdefgh';
    const words = [
      ...new Set(
        Array.from({ length: 3000 }, () =>
          Array.from({ length: 1 + Math.floor(random() * 5) }, () => letters[Math.floor(random() * 8)]).join(''),
        ),
      ),
    ];
    const table = createWordTable(words);
    words.forEach((word, id) => {
      const text = `x ${random() < 0.5 ? word.toUpperCase() : word} y`;
      expect(table.idOf(text, 2, 2 + word.length)).toBe(id);
    });
    const known = new Set(words);
    for (let n = 0; n < 2000; n++) {
      const token = Array.from({ length: 1 + Math.floor(random() * 7) }, () => 'abcdefghij'[Math.floor(random() * 10)]).join('');
      expect(table.idOf(token, 0, token.length)).toBe(known.has(token) ? words.indexOf(token) : -1);
    }
  });
});
