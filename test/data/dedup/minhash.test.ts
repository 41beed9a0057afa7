import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createMinHasher } from '../../../src/data/dedup/minhash.ts';
import { createSimdMinHasher } from '../../../src/data/dedup/minhash-simd.ts';

// A fixed stream of pseudo-random 32-bit values (xorshift32), so a failure is reproducible.
function values(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0;
  }
  return out;
}

describe('the MinHash kernel (minhash.wat, four values at a time)', () => {
  it('runs here, and gives the same signatures as the JavaScript loop for every length, long texts included', () => {
    const kernel = createMinHasher(126);
    const loop = createMinHasher(126, 1, { simd: false });
    expect(createSimdMinHasher(new Uint32Array([1, 2, 3]))).toBeTypeOf('function');
    // Lengths around the four-value step, then a text far longer than the kernel's first memory page holds.
    for (const length of [...Array(40).keys(), 127, 128, 129, 1000, 50_000]) {
      const shingles = values(length, length + 7);
      expect(kernel(shingles), `length ${length}`).toEqual(loop(shingles));
    }
    expect([...kernel(new Uint32Array(0))].every((v) => v === 0xffffffff)).toBe(true);
    // Signed-looking values (the top bit set) order as unsigned ones.
    expect(kernel(Uint32Array.of(0x80000000, 0xffffffff, 0, 1))).toEqual(loop(Uint32Array.of(0x80000000, 0xffffffff, 0, 1)));
  });

  it('is what the committed minhash.wasm holds: scripts/build-wasm.mjs --check assembles minhash.wat to the same bytes', () => {
    const check = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
