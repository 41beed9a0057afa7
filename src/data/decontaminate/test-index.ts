import { tokenize } from '../text/tokenize.ts';
import { hashIds } from './hash-ids.ts';

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

export interface TestIndex {
  settings: IndexSettings;
  sets: string[];
  refs: TestItemRef[];
  tokens: Int32Array[];
  vocab: Map<string, number>;
  // n-gram hash → item * 2^20 + position of its first occurrence.
  ngrams: Map<number, number>;
  // shingle hash → [start, end) in `postings` (distinct item numbers).
  shingles: Map<number, number>;
  postingStarts: Int32Array;
  postings: Int32Array;
}

const POSITION = 1048576;

// Builds the index every train item is matched against: a shared vocabulary (test tokens only; a train token outside
// it can match nothing), the n-gram table, the shingle → items inverted index, and each item's token ids.
export function buildTestIndex(sets: readonly TestSetInput[], settings: IndexSettings): TestIndex {
  const vocab = new Map<string, number>();
  const refs: TestItemRef[] = [];
  const tokens: Int32Array[] = [];
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
      tokens.push(ids);
    }
  }
  const ngrams = new Map<number, number>();
  if (settings.ngram > 0) {
    tokens.forEach((ids, item) => {
      for (let p = 0; p + settings.ngram <= ids.length; p++) {
        const key = hashIds(ids, p, settings.ngram);
        if (!ngrams.has(key)) ngrams.set(key, item * POSITION + Math.min(p, POSITION - 1));
      }
    });
  }
  const lists = new Map<number, number[]>();
  tokens.forEach((ids, item) => {
    for (let p = 0; p + settings.shingle <= ids.length; p++) {
      const key = hashIds(ids, p, settings.shingle);
      const list = lists.get(key);
      if (list === undefined) lists.set(key, [item]);
      else if (list[list.length - 1] !== item) list.push(item);
    }
  });
  const shingles = new Map<number, number>();
  const starts: number[] = [0];
  const flat: number[] = [];
  for (const [key, list] of lists) {
    if (list.length > settings.maxPostings) continue;
    shingles.set(key, starts.length - 1);
    for (const item of list) flat.push(item);
    starts.push(flat.length);
  }
  return {
    settings,
    sets: sets.map((s) => s.name),
    refs,
    tokens,
    vocab,
    ngrams,
    shingles,
    postingStarts: Int32Array.from(starts),
    postings: Int32Array.from(flat),
  };
}

// Splits an n-gram table value back into its item and position.
export function unpackNgram(value: number): { item: number; position: number } {
  return { item: Math.floor(value / POSITION), position: value % POSITION };
}
