import { asciiTokens, emptyTokenRanges } from '../text/ascii-tokens.ts';
import { tokenize } from '../text/tokenize.ts';
import { createWordInterner } from '../text/word-interner.ts';
import { addRun, compactRunTable, createRunTable, type RunTable } from './run-table.ts';

// One test item as decontaminate reports it: its set, its 1-based line, its own id field when it has one.
export interface TestItemRef {
  set: number;
  line: number;
  id?: string | number;
}

export interface TestSetInput {
  name: string;
  items: Array<TestItemRef & { text: string }>;
}

export interface IndexSettings {
  // n of the exact n-gram rule (13 in the method); 0 turns the rule off.
  ngram: number;
  // Shingle length of the candidate index for the LCS rule.
  shingle: number;
  // Shingles found in more test items than this are not indexed (they name no particular item).
  maxPostings: number;
}

// The index every train item is matched against. Everything but `vocab`, `refs` and `sets` is typed arrays (in
// SharedArrayBuffers when built `shared`), so worker threads use the one copy the main thread built (share-index.ts).
export interface TestIndex {
  settings: IndexSettings;
  sets: string[];
  refs: TestItemRef[];
  // Test tokens only; a train token outside it can match nothing.
  vocab: Map<string, number>;
  // Every item's token ids, one after the other: item i is flat[starts[i], starts[i + 1]); `tokens[i]` views it.
  flat: Int32Array;
  starts: Int32Array;
  tokens: Int32Array[];
  // The distinct n-grams (each entry: its first occurrence), built only for n-grams shorter than a shingle; longer
  // ones are found through the shingles' occurrences (findNgram).
  ngrams?: RunTable;
  // The distinct shingles; entry e's test items (distinct, ascending) are postings[postingStarts[e], postingStarts[e + 1]),
  // empty for a shingle in more than maxPostings items; its every occurrence (flat positions, ascending) is
  // occurrences[occurrenceStarts[e], occurrenceStarts[e + 1]).
  shingles: RunTable;
  occurrenceStarts: Int32Array;
  occurrences: Int32Array;
  // The item of each flat position.
  itemOf: Int32Array;
  postingStarts: Int32Array;
  postings: Int32Array;
}

// Builds the index: the vocabulary, each item's token ids, the shingles with their items and occurrences (and the
// n-gram table for n-grams shorter than a shingle).
export function buildTestIndex(sets: readonly TestSetInput[], settings: IndexSettings, shared = false): TestIndex {
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  // Token ids in order of first sight: ASCII text by the tokenizer's fast path, straight from its characters (the
  // same tokens, so the same ids); other text through tokenize().
  const interner = createWordInterner();
  const ranges = emptyTokenRanges();
  const refs: TestItemRef[] = [];
  const lists: Int32Array[] = [];
  let total = 0;
  for (const set of sets) {
    for (const item of set.items) {
      const fast = asciiTokens(item.text, ranges);
      let ids: Int32Array;
      if (fast) {
        ids = new Int32Array(fast.count);
        for (let i = 0; i < fast.count; i++) ids[i] = interner.idOfRange(item.text, fast.starts[i]!, fast.ends[i]!);
      } else {
        const words = tokenize(item.text);
        ids = new Int32Array(words.length);
        for (let i = 0; i < words.length; i++) ids[i] = interner.add(words[i]!);
      }
      refs.push(item.id === undefined ? { set: item.set, line: item.line } : { set: item.set, line: item.line, id: item.id });
      lists.push(ids);
      total += ids.length;
    }
  }
  const vocab = new Map<string, number>(interner.words.map((word, id) => [word, id]));
  const flat = new Int32Array(buffer(Math.max(1, total) * 4));
  const starts = new Int32Array(buffer((lists.length + 1) * 4));
  lists.forEach((ids, item) => {
    flat.set(ids, starts[item]!);
    starts[item + 1] = starts[item]! + ids.length;
  });
  const runsOf = (n: number) => lists.reduce((sum, ids) => sum + Math.max(0, ids.length - n + 1), 0);
  const itemOf = new Int32Array(buffer(Math.max(1, total) * 4));
  for (let item = 0; item < lists.length; item++) itemOf.fill(item, starts[item]!, starts[item + 1]!);
  let ngrams: RunTable | undefined;
  if (settings.ngram > 0 && settings.ngram < settings.shingle) {
    ngrams = createRunTable(settings.ngram, runsOf(settings.ngram), false, false, 1.25);
    for (let item = 0; item < lists.length; item++)
      for (let at = starts[item]!; at + settings.ngram <= starts[item + 1]!; at++) addRun(ngrams, flat, at);
  }
  // Shingles: each position's entry, and each entry's count of distinct items, in one pass (items come in order, so
  // an item seen again for an entry is its last one).
  const capacity = runsOf(settings.shingle);
  const shingles = createRunTable(settings.shingle, capacity, false, false, 1.25);
  const entryAt = new Int32Array(Math.max(1, total)).fill(-1);
  const counts = new Int32Array(capacity + 1);
  const last = new Int32Array(Math.max(1, capacity)).fill(-1);
  for (let item = 0; item < lists.length; item++) {
    for (let at = starts[item]!; at + settings.shingle <= starts[item + 1]!; at++) {
      const entry = addRun(shingles, flat, at);
      entryAt[at] = entry;
      if (last[entry] === item) continue;
      last[entry] = item;
      counts[entry] = counts[entry]! + 1;
    }
  }
  // Every occurrence of each shingle, by a counting sort of the positions on their entry (ascending within one).
  const occurrenceStarts = new Int32Array(buffer((shingles.size + 1) * 4));
  for (let at = 0; at < total; at++) if (entryAt[at]! >= 0) occurrenceStarts[entryAt[at]! + 1]! += 1;
  for (let e = 0; e < shingles.size; e++) occurrenceStarts[e + 1] = occurrenceStarts[e + 1]! + occurrenceStarts[e]!;
  const occurrences = new Int32Array(buffer(Math.max(1, occurrenceStarts[shingles.size]!) * 4));
  const next = occurrenceStarts.slice(0, shingles.size);
  for (let at = 0; at < total; at++) if (entryAt[at]! >= 0) occurrences[next[entryAt[at]!]!++] = at;
  const postingStarts = new Int32Array(buffer((shingles.size + 1) * 4));
  for (let e = 0; e < shingles.size; e++) postingStarts[e + 1] = postingStarts[e]! + (counts[e]! > settings.maxPostings ? 0 : counts[e]!);
  const postings = new Int32Array(buffer(Math.max(1, postingStarts[shingles.size]!) * 4));
  const fill = postingStarts.slice(0, shingles.size);
  // Each entry's distinct items, ascending (entries in more than maxPostings items keep none).
  last.fill(-1);
  for (let item = 0; item < lists.length; item++) {
    for (let at = starts[item]!; at + settings.shingle <= starts[item + 1]!; at++) {
      const entry = entryAt[at]!;
      if (last[entry] === item) continue;
      last[entry] = item;
      if (counts[entry]! <= settings.maxPostings) postings[fill[entry]!++] = item;
    }
  }
  return {
    settings,
    sets: sets.map((s) => s.name),
    refs,
    vocab,
    flat,
    starts,
    tokens: lists.map((_, item) => flat.subarray(starts[item]!, starts[item + 1]!)),
    ...(ngrams ? { ngrams: compactRunTable(ngrams, shared) } : {}),
    shingles: compactRunTable(shingles, shared),
    occurrenceStarts,
    occurrences,
    itemOf,
    postingStarts,
    postings,
  };
}

// The test item holding flat position `at`, and the position within it.
export function itemAt(index: TestIndex, at: number): { item: number; position: number } {
  let low = 0;
  let high = index.starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (index.starts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return { item: low, position: at - index.starts[low]! };
}

// The first occurrence (lowest flat position) of the n-gram ids[start, start + n) in a test item, or -1, for n at
// least the shingle length s. `entries[p]` is the shingle entry of ids[p, p + s) for every p of the n-gram, all
// found (a test n-gram's shingles are all test shingles). The n-gram's rarest shingle, at offset k, has the fewest
// occurrences; each occurrence q, in ascending order, is the n-gram's start q − k when that start lies in q's item
// with room for n tokens and the tokens agree.
export function findNgram(index: TestIndex, ids: ArrayLike<number>, start: number, entries: ArrayLike<number>): number {
  const n = index.settings.ngram;
  const s = index.settings.shingle;
  const { occurrenceStarts, occurrences, itemOf, starts, flat } = index;
  let rarest = 0;
  let fewest = Infinity;
  for (let k = 0; k + s <= n; k++) {
    const e = entries[start + k]!;
    const count = occurrenceStarts[e + 1]! - occurrenceStarts[e]!;
    if (count < fewest) {
      fewest = count;
      rarest = k;
    }
  }
  const e = entries[start + rarest]!;
  for (let o = occurrenceStarts[e]!; o < occurrenceStarts[e + 1]!; o++) {
    const q = occurrences[o]!;
    const at = q - rarest;
    const item = itemOf[q]!;
    if (at < starts[item]! || at + n > starts[item + 1]!) continue;
    let k = 0;
    while (k < n && flat[at + k] === ids[start + k]) k++;
    if (k === n) return at;
  }
  return -1;
}
