import { readFileSync } from 'node:fs';

const MODULE = new URL('./minhash.wasm', import.meta.url);
const PAGE = 65536;
// The part of the WebAssembly API used here (the compiler's libs, without the DOM's, do not declare it).
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      validate(bytes: Uint8Array): boolean;
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: unknown };
    };
  }
).WebAssembly;

interface Memory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Kernel {
  memory: Memory;
  minhash: (values: number, count: number, seeds: number, numPerm: number, out: number) => void;
}

// MinHash signatures computed by minhash.wasm (minhash.wat: four values at a time with 128-bit SIMD), the same
// values as minhash.ts's loop for the same seeds. Undefined where this Node cannot run it (no WebAssembly SIMD): the
// caller then computes them in JavaScript. Memory: the seeds, the signature, then the shingles, grown to fit the
// longest text seen.
export function createSimdMinHasher(seeds: Uint32Array): ((shingles: Uint32Array) => Uint32Array) | undefined {
  let kernel: Kernel;
  try {
    const bytes = readFileSync(MODULE);
    if (!wasm.validate(bytes)) return undefined;
    kernel = new wasm.Instance(new wasm.Module(bytes)).exports as Kernel;
  } catch {
    return undefined;
  }
  const numPerm = seeds.length;
  const out = numPerm * 4;
  const values = out + numPerm * 4;
  let view = new Uint32Array(kernel.memory.buffer);
  view.set(seeds, 0);
  return (shingles) => {
    const needed = values + shingles.length * 4;
    if (needed > kernel.memory.buffer.byteLength) {
      kernel.memory.grow(Math.ceil((needed - kernel.memory.buffer.byteLength) / PAGE));
      view = new Uint32Array(kernel.memory.buffer);
    }
    view.set(shingles, values / 4);
    kernel.minhash(values, shingles.length, 0, numPerm, out);
    return view.slice(out / 4, out / 4 + numPerm);
  };
}
