// Bit-parallel LCS (Allison–Dix, in the form of Crochemore et al. 2001): one sequence becomes a bit mask per
// distinct token, and each token of the other sequence updates a bit vector with one addition, so the cost is
// |other| × ⌈|loaded| / 31⌉ word steps instead of |other| × |loaded| cells. Words hold 31 bits so that a word, its
// addend and the carry fit below 2³² in a double.
const WORD = 31;
const FULL = 0x7fffffff;

export interface LcsScratch {
  // Loads the sequence (its first `length` ids) every later `lcs` call compares against (ids ≥ vocabSize or < 0
  // match nothing).
  load(ids: ArrayLike<number>, length?: number): void;
  // LCS length of `other` (ids start to end) against the loaded sequence.
  lcs(other: ArrayLike<number>, start?: number, end?: number): number;
}

// A reusable LCS engine over token ids below `vocabSize`: masks live in a pool addressed through a dense
// id → offset table, so each step is an array read, not a Map lookup. One per thread; allocation-free after warm-up.
export function createLcsScratch(vocabSize: number): LcsScratch {
  const slot = new Int32Array(vocabSize).fill(-1);
  let pool = new Int32Array(1024);
  let v = new Int32Array(64);
  const loaded: number[] = [];
  let length = 0;
  let words = 1;
  // The same steps for a loaded sequence of at most 62 ids, its two words in locals (most test items are that short).
  const shortLcs = (other: ArrayLike<number>, start: number, end: number): number => {
    let v0 = FULL;
    let v1 = FULL;
    for (let i = start; i < end; i++) {
      const id = other[i]!;
      if (id < 0 || id >= vocabSize) continue;
      const offset = slot[id]!;
      if (offset < 0) continue;
      const m0 = pool[offset]!;
      const sum0 = v0 + (v0 & m0);
      const carry = sum0 > FULL ? 1 : 0;
      v0 = (sum0 | (v0 & ~m0)) & FULL;
      if (words === 2) {
        const m1 = pool[offset + 1]!;
        v1 = ((v1 + (v1 & m1) + carry) | (v1 & ~m1)) & FULL;
      }
    }
    return length - ones(v0, words === 1 ? length : WORD) - (words === 2 ? ones(v1, length - WORD) : 0);
  };
  return {
    load(ids, size = ids.length) {
      for (const id of loaded) slot[id] = -1;
      loaded.length = 0;
      length = size;
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
    lcs(other, start = 0, end = other.length) {
      if (words <= 2) return shortLcs(other, start, end);
      v.fill(FULL, 0, words);
      for (let i = start; i < end; i++) {
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
      let zeros = length;
      for (let w = 0; w < words; w++) zeros -= ones(v[w]!, w === words - 1 ? length - w * WORD : WORD);
      return zeros;
    },
  };
}

// The set bits among the low `bits` (≤ 31) of x.
function ones(word: number, bits: number): number {
  let x = bits < WORD ? word & ((1 << bits) - 1) : word;
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
