import { estimateJaccard } from './minhash.ts';

export interface LshMatch {
  item: number;
  similarity: number;
}

export interface LshIndex {
  // The kept item most similar to `signature` among those sharing a band with it, if its estimated Jaccard reaches
  // the threshold.
  query(signature: Uint32Array): LshMatch | undefined;
  // Adds a kept item (its number is the order of insertion).
  insert(signature: Uint32Array, item: number): void;
  readonly size: number;
}

// The banded LSH table: each signature is cut into `bands` bands of `rows` values; two items are candidates when any
// band is equal (a 53-bit hash of the band keys each band's Map), and a candidate counts only when its full
// signature agrees on at least `threshold` of the banded slots, which removes the band collisions of dissimilar items.
// Memory: per kept item, its signature (4 bytes a permutation) and one Map entry per band.
export function createLshIndex(bands: number, rows: number, threshold: number): LshIndex {
  // A bucket holds one item number, or an array once a second item lands in it (most buckets hold one).
  const tables = Array.from({ length: bands }, () => new Map<number, number | number[]>());
  const store = createSignatureStore(bands * rows);
  const bandKey = (signature: Uint32Array, band: number) => {
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x01000193 | 0;
    for (let i = band * rows; i < (band + 1) * rows; i++) {
      h1 = Math.imul(h1 ^ signature[i]!, 0x9e3779b1);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 + signature[i]!, 0x85ebca77);
      h2 ^= h2 >>> 13;
    }
    return (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
  };
  return {
    get size() {
      return store.size;
    },
    query(signature) {
      let best: LshMatch | undefined;
      const checked = new Set<number>();
      for (let band = 0; band < bands; band++) {
        const bucket = tables[band]!.get(bandKey(signature, band));
        if (bucket === undefined) continue;
        for (const item of typeof bucket === 'number' ? [bucket] : bucket) {
          if (checked.has(item)) continue;
          checked.add(item);
          const similarity = estimateJaccard(signature.subarray(0, bands * rows), store.get(item));
          if (similarity >= threshold && (!best || similarity > best.similarity)) best = { item, similarity };
        }
      }
      return best;
    },
    insert(signature, item) {
      store.put(item, signature);
      for (let band = 0; band < bands; band++) {
        const key = bandKey(signature, band);
        const bucket = tables[band]!.get(key);
        if (bucket === undefined) tables[band]!.set(key, item);
        else if (typeof bucket === 'number') tables[band]!.set(key, [bucket, item]);
        else bucket.push(item);
      }
    },
  };
}

// Signatures (their first `width` slots, the ones the bands use) packed in blocks of 65536 items, so a million kept
// items cost 4·width bytes each and no per-item object.
function createSignatureStore(width: number) {
  const BLOCK = 65536;
  const blocks: Uint32Array[] = [];
  let size = 0;
  return {
    get size() {
      return size;
    },
    put(item: number, signature: Uint32Array) {
      const block = Math.floor(item / BLOCK);
      while (blocks.length <= block) blocks.push(new Uint32Array(BLOCK * width));
      blocks[block]!.set(signature.subarray(0, width), (item % BLOCK) * width);
      size = Math.max(size, item + 1);
    },
    get(item: number): Uint32Array {
      const at = (item % BLOCK) * width;
      return blocks[Math.floor(item / BLOCK)]!.subarray(at, at + width);
    },
  };
}
