import { tokenize } from '../text/tokenize.ts';
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
  // The distinct n-grams (each entry: its first occurrence).
  ngrams: RunTable;
  // The distinct shingles; entry e's test items (distinct, ascending) are postings[postingStarts[e], postingStarts[e + 1]),
  // empty for a shingle in more than maxPostings items.
  shingles: RunTable;
  postingStarts: Int32Array;
  postings: Int32Array;
}

// Builds the index: the vocabulary, each item's token ids, the n-gram table, and the shingle → items inverted index.
export function buildTestIndex(sets: readonly TestSetInput[], settings: IndexSettings, shared = false): TestIndex {
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const vocab = new Map<string, number>();
  const refs: TestItemRef[] = [];
  const lists: Int32Array[] = [];
  let total = 0;
  for (const set of sets) {
    for (const item of set.items) {
      const words = tokenize(item.text);
      const ids = new Int32Array(words.length);
      for (let i = 0; i < words.length; i++) {
        let id = vocab.get(words[i]!);
        if (id === undefined) vocab.set(words[i]!, (id = vocab.size));
        ids[i] = id;
      }
      refs.push(item.id === undefined ? { set: item.set, line: item.line } : { set: item.set, line: item.line, id: item.id });
      lists.push(ids);
      total += ids.length;
    }
  }
  const flat = new Int32Array(buffer(Math.max(1, total) * 4));
  const starts = new Int32Array(buffer((lists.length + 1) * 4));
  lists.forEach((ids, item) => {
    flat.set(ids, starts[item]!);
    starts[item + 1] = starts[item]! + ids.length;
  });
  const runsOf = (n: number) => lists.reduce((sum, ids) => sum + Math.max(0, ids.length - n + 1), 0);
  const ngrams = createRunTable(settings.ngram, settings.ngram > 0 ? runsOf(settings.ngram) : 0, false);
  if (settings.ngram > 0) {
    for (let item = 0; item < lists.length; item++)
      for (let at = starts[item]!; at + settings.ngram <= starts[item + 1]!; at++) addRun(ngrams, flat, at);
  }
  // Shingles: each position's entry, then per entry its distinct items (items come in order, so a repeat is the last).
  const shingles = createRunTable(settings.shingle, runsOf(settings.shingle), false);
  const entryAt = new Int32Array(Math.max(1, total)).fill(-1);
  for (let item = 0; item < lists.length; item++)
    for (let at = starts[item]!; at + settings.shingle <= starts[item + 1]!; at++) entryAt[at] = addRun(shingles, flat, at);
  const counts = new Int32Array(shingles.size + 1);
  const last = new Int32Array(shingles.size).fill(-1);
  const eachPosting = (visit: (entry: number, item: number) => void) => {
    last.fill(-1);
    for (let item = 0; item < lists.length; item++) {
      for (let at = starts[item]!; at + settings.shingle <= starts[item + 1]!; at++) {
        const entry = entryAt[at]!;
        if (last[entry] === item) continue;
        last[entry] = item;
        visit(entry, item);
      }
    }
  };
  eachPosting((entry) => {
    counts[entry] = counts[entry]! + 1;
  });
  const postingStarts = new Int32Array(buffer((shingles.size + 1) * 4));
  for (let e = 0; e < shingles.size; e++) postingStarts[e + 1] = postingStarts[e]! + (counts[e]! > settings.maxPostings ? 0 : counts[e]!);
  const postings = new Int32Array(buffer(Math.max(1, postingStarts[shingles.size]!) * 4));
  const fill = postingStarts.slice(0, shingles.size);
  eachPosting((entry, item) => {
    if (counts[entry]! <= settings.maxPostings) postings[fill[entry]!++] = item;
  });
  return {
    settings,
    sets: sets.map((s) => s.name),
    refs,
    vocab,
    flat,
    starts,
    tokens: lists.map((_, item) => flat.subarray(starts[item]!, starts[item + 1]!)),
    ngrams: compactRunTable(ngrams, shared),
    shingles: compactRunTable(shingles, shared),
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
