// Gives each distinct word an id, in order of first sight, straight from a text's characters: a token found by its
// [start, end) range (lower-casing A–Z, as normalization does on ASCII) is looked up without making its string,
// which is made once, for a word not seen before. Open addressing on FNV-1a of the characters, a hit confirmed
// character by character; the table doubles at half full. `words` lists the words by id, and `add` takes a word
// already made (from tokenize(), for text outside ASCII). word-table.ts is a fixed list over the same table.
export interface WordInterner {
  readonly words: string[];
  /** The id of text[start, end) lower-cased, given one if it has none yet. */
  idOfRange(text: string, start: number, end: number): number;
  /** The id of text[start, end) lower-cased, or -1: nothing is added. */
  idOf(text: string, start: number, end: number): number;
  add(word: string): number;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export function createWordInterner(): WordInterner {
  const words: string[] = [];
  let mask = 1023;
  let slots = new Int32Array(mask + 1).fill(-1);
  let hashes = new Int32Array(mask + 1);

  const place = (id: number, h: number) => {
    let slot = h & mask;
    while (slots[slot]! >= 0) slot = (slot + 1) & mask;
    slots[slot] = id;
    hashes[slot] = h;
  };
  const insert = (word: string, h: number): number => {
    const id = words.length;
    words.push(word);
    if (words.length * 2 > mask + 1) {
      const old = { slots, hashes };
      mask = mask * 2 + 1;
      slots = new Int32Array(mask + 1).fill(-1);
      hashes = new Int32Array(mask + 1);
      for (let s = 0; s < old.slots.length; s++) if (old.slots[s]! >= 0) place(old.slots[s]!, old.hashes[s]!);
    }
    place(id, h);
    return id;
  };
  const hashOf = (text: string, start: number, end: number): number => {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ lower(text.charCodeAt(i)), 0x01000193);
    return h;
  };
  // The id of text[start, end) lower-cased whose hash is h, or -1.
  const find = (text: string, start: number, end: number, h: number): number => {
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
  };

  return {
    words,
    idOfRange(text, start, end) {
      const h = hashOf(text, start, end);
      const id = find(text, start, end, h);
      return id >= 0 ? id : insert(text.slice(start, end).toLowerCase(), h);
    },
    idOf: (text, start, end) => find(text, start, end, hashOf(text, start, end)),
    add(word) {
      // A made word is lower case already (tokenize() normalized it), so its hash and comparison are its own.
      const h = hashOf(word, 0, word.length);
      const id = find(word, 0, word.length, h);
      return id >= 0 ? id : insert(word, h);
    },
  };
}
