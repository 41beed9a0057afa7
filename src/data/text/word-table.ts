import { createWordInterner } from './word-interner.ts';

// Token → id lookups straight from a text's characters: the ids of a fixed list of distinct words (the test
// vocabulary), found by a token's [start, end) range in the text (lower-casing A–Z as normalization does) without
// making its string. The word interner's table, filled once and only read.
export interface WordTable {
  // The id (index in the word list) of text[start, end) lower-cased, or -1.
  idOf(text: string, start: number, end: number): number;
}

export function createWordTable(words: readonly string[]): WordTable {
  const interner = createWordInterner();
  for (const word of words) interner.add(word);
  return { idOf: interner.idOf };
}
