import { createSimdMinHasher } from './minhash-simd.ts';
import { fmix32 } from './shingles.ts';

// MinHash signatures with `numPerm` permutations of the 32-bit shingle-hash space: permutation i maps x to
// fmix32(x XOR seed_i) (XOR and fmix32 are both bijections), with seeds drawn from a fixed splitmix32 stream, so
// signatures are the same on every run and machine. An empty shingle set gets all 0xffffffff. Computed by the
// WebAssembly kernel (minhash-simd.ts, four values at a time; about 5× this loop) where Node runs it, else here:
// the same values either way. `simd: false` takes this loop (the kernel's test compares the two).
export function createMinHasher(numPerm: number, seed = 1, options: { simd?: boolean } = {}): (shingles: Uint32Array) => Uint32Array {
  const seeds = new Uint32Array(numPerm);
  let state = seed >>> 0;
  for (let i = 0; i < numPerm; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    seeds[i] = fmix32(state);
  }
  const simd = options.simd === false ? undefined : createSimdMinHasher(seeds);
  if (simd) return simd;
  return (shingles) => {
    const signature = new Uint32Array(numPerm);
    const count = shingles.length;
    const values = new Int32Array(shingles.buffer, shingles.byteOffset, count);
    for (let i = 0; i < numPerm; i++) {
      const seed = seeds[i]! | 0;
      let least = 0x7fffffff;
      for (let s = 0; s < count; s++) {
        let x = values[s]! ^ seed;
        x ^= x >>> 16;
        x = Math.imul(x, 0x85ebca6b);
        x ^= x >>> 13;
        x = Math.imul(x, 0xc2b2ae35);
        x ^= x >>> 16;
        x ^= 0x80000000;
        if (x < least) least = x;
      }
      signature[i] = (least ^ 0x80000000) >>> 0;
    }
    return signature;
  };
}

// The share of equal signature slots: an unbiased estimate of the Jaccard similarity of the two shingle sets.
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same += 1;
  return same / a.length;
}
