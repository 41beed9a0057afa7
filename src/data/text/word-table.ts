// Token → id lookups straight from a text's characters: the ids of a fixed word list (the test vocabulary), found by
// a token's [start, end) range in the text (lower-casing A–Z as normalization does) without making its string.
// Open addressing on FNV-1a of the characters; a hit is confirmed character by character.
export interface WordTable {
  // The id (index in the word list) of text[start, end) lower-cased, or -1.
  idOf(text: string, start: number, end: number): number;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export function createWordTable(words: readonly string[]): WordTable {
  let size = 16;
  while (size < words.length * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const hashes = new Int32Array(size);
  words.forEach((word, id) => {
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
    let slot = h & mask;
    while (slots[slot]! >= 0) slot = (slot + 1) & mask;
    slots[slot] = id;
    hashes[slot] = h;
  });
  return {
    idOf(text, start, end) {
      let h = 0x811c9dc5 | 0;
      for (let i = start; i < end; i++) h = Math.imul(h ^ lower(text.charCodeAt(i)), 0x01000193);
      for (let slot = h & mask; ; slot = (slot + 1) & mask) {
        const id = slots[slot]!;
        if (id < 0) return -1;
        if (hashes[slot] !== h) continue;
        const word = words[id]!;
        if (word.length !== end - start) continue;
        let k = 0;
        while (k < word.length && word.charCodeAt(k) === lower(text.charCodeAt(start + k))) k++;
        if (k === word.length) return id;
      }
    },
  };
}
