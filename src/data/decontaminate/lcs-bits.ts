// Bit-parallel LCS (Allison–Dix, in the form of Crochemore et al. 2001): one sequence becomes a bit mask per
// distinct token, and each token of the other sequence updates a bit vector with one addition, so the cost is
// |other| × ⌈|loaded| / 31⌉ word steps instead of |other| × |loaded| cells. Words hold 31 bits so that a word, its
// addend and the carry fit below 2³² in a double.
const WORD = 31;
const FULL = 0x7fffffff;

export interface LcsScratch {
  // Loads the sequence every later `lcs` call compares against (ids ≥ vocabSize or < 0 match nothing).
  load(ids: ArrayLike<number>): void;
  // LCS length of `other` against the loaded sequence.
  lcs(other: ArrayLike<number>): number;
}

// A reusable LCS engine over token ids below `vocabSize`: masks live in a pool addressed through a dense
// id → offset table, so each step is an array read, not a Map lookup. One per thread; allocation-free after warm-up.
export function createLcsScratch(vocabSize: number): LcsScratch {
  const slot = new Int32Array(vocabSize).fill(-1);
  let pool = new Int32Array(1024);
  let v = new Int32Array(64);
  let loaded: number[] = [];
  let length = 0;
  let words = 1;
  return {
    load(ids) {
      for (const id of loaded) slot[id] = -1;
      loaded = [];
      length = ids.length;
      words = Math.max(1, Math.ceil(length / WORD));
      let distinct = 0;
      for (let i = 0; i < length; i++) {
        const id = ids[i]!;
        if (id < 0 || id >= vocabSize || slot[id]! >= 0) continue;
        slot[id] = distinct++ * words;
        loaded.push(id);
      }
      if (pool.length < distinct * words) pool = new Int32Array(distinct * words * 2);
      pool.fill(0, 0, distinct * words);
      for (let i = 0; i < length; i++) {
        const id = ids[i]!;
        if (id < 0 || id >= vocabSize) continue;
        const at = slot[id]! + Math.floor(i / WORD);
        pool[at] = pool[at]! | (1 << (i % WORD));
      }
      if (v.length < words) v = new Int32Array(words * 2);
    },
    lcs(other) {
      v.fill(FULL, 0, words);
      for (let i = 0; i < other.length; i++) {
        const id = other[i]!;
        if (id < 0 || id >= vocabSize) continue;
        const offset = slot[id]!;
        if (offset < 0) continue;
        let carry = 0;
        for (let w = 0; w < words; w++) {
          const vw = v[w]!;
          const m = pool[offset + w]!;
          const sum = vw + (vw & m) + carry;
          carry = sum > FULL ? 1 : 0;
          v[w] = (sum | (vw & ~m)) & FULL;
        }
      }
      let ones = 0;
      for (let w = 0; w < words; w++) {
        let x = v[w]!;
        const bits = w === words - 1 ? length - w * WORD : WORD;
        if (bits < WORD) x &= (1 << bits) - 1;
        x -= (x >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        ones += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
      }
      return length - ones;
    },
  };
}
