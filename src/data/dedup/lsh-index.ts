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
// band is equal (each band's Map is keyed by a 30-bit hash of the band, a small integer V8 keys fast; a bucket's items
// are confirmed band-equal before they count), and a candidate counts only when its full signature agrees on at least
// `threshold` of the banded slots, which removes the band collisions of dissimilar items.
// Memory: per kept item, its signature (4 bytes a permutation) and one Map entry per band.
export function createLshIndex(bands: number, rows: number, threshold: number): LshIndex {
  // A bucket holds one item number, or an array once a second item lands in it (most buckets hold one).
  const tables = Array.from({ length: bands }, () => new Map<number, number | number[]>());
  const width = bands * rows;
  const store = createSignatureStore(width);
  // seen[item] === query: the item was compared in this query already.
  let seen = new Int32Array(1024);
  let queries = 0;
  const bandKey = (signature: Uint32Array, band: number) => {
    let h = 0x811c9dc5 | 0;
    for (let i = band * rows; i < (band + 1) * rows; i++) {
      h = Math.imul(h ^ signature[i]!, 0x9e3779b1);
      h ^= h >>> 15;
    }
    return Math.imul(h ^ (h >>> 13), 0x85ebca77) >>> 2;
  };
  const sameBand = (a: Uint32Array, b: Uint32Array, band: number) => {
    for (let i = band * rows; i < (band + 1) * rows; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  const agreement = (a: Uint32Array, b: Uint32Array) => {
    let same = 0;
    for (let i = 0; i < width; i++) if (a[i] === b[i]) same += 1;
    return same / width;
  };
  return {
    get size() {
      return store.size;
    },
    query(signature) {
      let best: LshMatch | undefined;
      queries += 1;
      const visit = (item: number, band: number) => {
        if (seen[item] === queries) return;
        const stored = store.get(item);
        if (!sameBand(signature, stored, band)) return;
        seen[item] = queries;
        const similarity = agreement(signature, stored);
        if (similarity >= threshold && (!best || similarity > best.similarity)) best = { item, similarity };
      };
      for (let band = 0; band < bands; band++) {
        const bucket = tables[band]!.get(bandKey(signature, band));
        if (bucket === undefined) continue;
        if (typeof bucket === 'number') visit(bucket, band);
        else for (const item of bucket) visit(item, band);
      }
      return best;
    },
    insert(signature, item) {
      store.put(item, signature);
      if (seen.length <= item) {
        const grown = new Int32Array(Math.max(item + 1, seen.length * 2));
        grown.set(seen);
        seen = grown;
      }
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
