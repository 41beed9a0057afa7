// An exact set of token-id runs of one length (the n-grams, the shingles) over the test items' flat token array, in
// typed arrays only, so it can be built once and shared with worker threads: open addressing on a 32-bit hash, and
// each entry remembers where its run first occurs, so a lookup confirms a hash hit by comparing the tokens (two runs
// with the same hash are two entries; no collision merges or hides a run). A compacted table (the one matched
// against) also has a bit filter of 4 bits a slot, small enough to stay in cache, that answers most lookups of
// absent runs (most of a train item's) without touching the slots.
export interface RunTable {
  length: number;
  // 2 per slot (a power of two): the hash of the run in the slot, and its entry + 1 (0: empty slot).
  slots: Int32Array;
  // One bit per hash class: clear when no run of the table hashes there (empty: no filter).
  filter: Int32Array;
  // per entry: offset of the run's first occurrence in the flat token array.
  firsts: Int32Array;
  size: number;
}

// The 32-bit hash of `length` ids from `start`: a multiplicative mix per id, then murmur3's finalizer.
export function hashRun(ids: ArrayLike<number>, start: number, length: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < start + length; i++) {
    h = Math.imul(h ^ ids[i]!, 0x9e3779b1);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// An empty table for at most `capacity` distinct runs, its arrays in SharedArrayBuffers (`shared`) or plain buffers;
// with a filter when `filtered`; at least `spread` slots per run (2 for lookups; less to build a table that will be
// compacted, whose runs are far fewer than its capacity).
export function createRunTable(length: number, capacity: number, shared: boolean, filtered = false, spread = 2): RunTable {
  let slotCount = 16;
  while (slotCount < capacity * spread) slotCount *= 2;
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    length,
    slots: new Int32Array(buffer(slotCount * 8)),
    filter: new Int32Array(buffer(filtered ? slotCount / 2 : 0)),
    firsts: new Int32Array(buffer(Math.max(1, capacity) * 4)),
    size: 0,
  };
}

// The filter's bit for a hash: bits of it the slot number does not use first.
function filterBit(hash: number, bits: number): number {
  return ((hash >>> 16) | (hash << 16)) & (bits - 1);
}

// The entry of the run at `ids[start..]`, or -1: `tokens` is the flat token array entries point into.
export function findRun(table: RunTable, tokens: Int32Array, ids: ArrayLike<number>, start: number, hash: number): number {
  const { length, slots, filter, firsts } = table;
  if (filter.length > 0) {
    const bit = filterBit(hash, filter.length * 32);
    if ((filter[bit >>> 5]! & (1 << (bit & 31))) === 0) return -1;
  }
  const mask = (slots.length >>> 1) - 1;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const entry = slots[2 * slot + 1]! - 1;
    if (entry < 0) return -1;
    if (slots[2 * slot] !== hash) continue;
    const at = firsts[entry]!;
    let k = 0;
    while (k < length && tokens[at + k] === ids[start + k]) k++;
    if (k === length) return entry;
  }
}

// The entry of the run at `tokens[at..]`, added (first occurrence `at`) when the table does not hold it yet.
export function addRun(table: RunTable, tokens: Int32Array, at: number): number {
  const { length, slots, firsts } = table;
  const hash = hashRun(tokens, at, length);
  const mask = (slots.length >>> 1) - 1;
  let slot = hash & mask;
  for (; ; slot = (slot + 1) & mask) {
    const entry = slots[2 * slot + 1]! - 1;
    if (entry < 0) break;
    if (slots[2 * slot] !== hash) continue;
    const first = firsts[entry]!;
    let k = 0;
    while (k < length && tokens[first + k] === tokens[at + k]) k++;
    if (k === length) return entry;
  }
  if (table.size >= firsts.length) throw new Error('run table full');
  const entry = table.size++;
  slots[2 * slot] = hash;
  slots[2 * slot + 1] = entry + 1;
  firsts[entry] = at;
  if (table.filter.length > 0) {
    const bit = filterBit(hash, table.filter.length * 32);
    table.filter[bit >>> 5] = table.filter[bit >>> 5]! | (1 << (bit & 31));
  }
  return entry;
}

// The same table in as few slots as its entries need (built at the size of every position, it holds far fewer
// distinct runs), with a filter: smaller slots and filter stay in cache. Entry numbers are kept.
export function compactRunTable(table: RunTable, shared: boolean): RunTable {
  const out = createRunTable(table.length, table.size, shared, true);
  const mask = (out.slots.length >>> 1) - 1;
  for (let s = 0; s < table.slots.length; s += 2) {
    const hash = table.slots[s]!;
    const stored = table.slots[s + 1]!;
    if (stored === 0) continue;
    let slot = hash & mask;
    while (out.slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    out.slots[2 * slot] = hash;
    out.slots[2 * slot + 1] = stored;
    const bit = filterBit(hash, out.filter.length * 32);
    out.filter[bit >>> 5] = out.filter[bit >>> 5]! | (1 << (bit & 31));
  }
  out.firsts.set(table.firsts.subarray(0, table.size));
  out.size = table.size;
  return out;
}
