import type { RunTable } from './run-table.ts';
import type { TestIndex } from './test-index.ts';

// A TestIndex as a worker thread receives it: the typed arrays as they are (built in SharedArrayBuffers they are
// shared, not copied), the vocabulary as its words in id order, the item views left out.
export type SharedTestIndex = Omit<TestIndex, 'vocab' | 'tokens'> & { words: string[] };

export function shareTestIndex(index: TestIndex): SharedTestIndex {
  const { vocab, tokens, ...rest } = index;
  return { ...rest, words: [...vocab.keys()] };
}

// The index again on the receiving side: the vocabulary Map and the per-item views rebuilt (milliseconds).
export function openTestIndex(shared: SharedTestIndex): TestIndex {
  const { words, ...rest } = shared;
  const vocab = new Map<string, number>();
  for (const word of words) vocab.set(word, vocab.size);
  const tokens = Array.from({ length: shared.starts.length - 1 }, (_, i) => shared.flat.subarray(shared.starts[i]!, shared.starts[i + 1]!));
  const table = (t: RunTable): RunTable => ({ ...t });
  return { ...rest, ...(rest.ngrams ? { ngrams: table(rest.ngrams) } : {}), shingles: table(rest.shingles), vocab, tokens };
}
