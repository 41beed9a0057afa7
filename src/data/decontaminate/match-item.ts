import { asciiTokens, emptyTokenRanges } from '../text/ascii-tokens.ts';
import { tokenize } from '../text/tokenize.ts';
import { createWordTable } from '../text/word-table.ts';
import { createLcsScratch } from './lcs-bits.ts';
import { createOverlapBound } from './lcs-bound.ts';
import { lcsRatioOf } from './lcs-length.ts';
import { findRun, hashRun, type RunTable } from './run-table.ts';
import { findNgram, itemAt, type TestIndex } from './test-index.ts';

export interface MatchSettings {
  // LCS ratio threshold (0.6 in the method); 0 turns the rule off.
  lcs: number;
  // LCS is computed against at most this many candidates, those sharing the most shingles first.
  maxCandidates: number;
}

// Why a train item is contaminated: the n-gram it shares (with the test item and the position there) and/or the
// best LCS ratio reaching the threshold. Items and sets are index numbers into the TestIndex.
export interface Verdict {
  ngram?: { item: number; position: number; text: string };
  lcs?: { item: number; ratio: number };
  candidates: number;
}

// A candidate's sort key: most shared shingles first, then the lower item (counts < 2¹⁶, items < 2³², exact in a double).
const KEY = 4294967296;

// A reusable matcher: owns the per-item scratch (token ids, shared-shingle counters over all test items, candidate
// keys) in typed arrays, so matching a million train items allocates little beyond the tokens and the verdicts.
export function createMatcher(index: TestIndex, settings: MatchSettings): (text: string) => Verdict {
  const items = index.starts.length - 1;
  const counts = new Uint16Array(items);
  const touched = new Int32Array(items);
  const keys = new Float64Array(items);
  const scratch = createLcsScratch(index.vocab.size);
  const bound = createOverlapBound(index.vocab.size);
  const { ngram, shingle } = index.settings;
  const { flat, starts, postingStarts, postings, vocab } = index;
  const wordList = [...vocab.keys()];
  const wordTable = createWordTable(wordList);
  const ranges = emptyTokenRanges();
  let ids = new Int32Array(256);
  let entries = new Int32Array(256);
  return (text) => {
    // Token ids (-1: not a test token): ASCII text by the tokenizer's fast path, straight from its characters.
    const fast = asciiTokens(text, ranges);
    const words = fast ? undefined : tokenize(text);
    const size = fast ? fast.count : words!.length;
    if (ids.length < size) ids = new Int32Array(size * 2);
    if (fast) for (let i = 0; i < size; i++) ids[i] = wordTable.idOf(text, fast.starts[i]!, fast.ends[i]!);
    else for (let i = 0; i < size; i++) ids[i] = vocab.get(words![i]!) ?? -1;
    const verdict: Verdict = { candidates: 0 };
    // Each position's shingle entry (-1: a token outside the vocabulary, or not a test shingle).
    if (entries.length < size) entries = new Int32Array(size * 2);
    for (let p = 0; p + shingle <= size; p++) {
      let known = true;
      for (let k = p; k < p + shingle; k++) if (ids[k]! < 0) known = false;
      entries[p] = known ? findRun(index.shingles, flat, ids, p, hashRun(ids, p, shingle)) : -1;
    }
    // The n-gram rule. A test n-gram's shingles are all test shingles, so with n ≥ the shingle length only a start
    // followed by n - shingle + 1 found shingles is looked up; shorter n-grams need known tokens only.
    if (ngram > 0) {
      const need = ngram >= shingle ? ngram - shingle + 1 : ngram;
      const found = ngram >= shingle ? entries : ids;
      let run = 0;
      for (let p = 0; p < size; p++) {
        run = found[p]! >= 0 && p + (ngram >= shingle ? shingle : 1) <= size ? run + 1 : 0;
        const start = p - need + 1;
        if (run < need) continue;
        const at = index.ngrams
          ? runAt(index.ngrams, findRun(index.ngrams, flat, ids, start, hashRun(ids, start, ngram)))
          : findNgram(index, ids, start, entries);
        if (at < 0) continue;
        verdict.ngram = { ...itemAt(index, at), text: Array.from(ids.subarray(start, start + ngram), (id) => wordList[id]!).join(' ') };
        break;
      }
    }
    if (settings.lcs <= 0) return verdict;
    let touchedCount = 0;
    for (let p = 0; p + shingle <= size; p++) {
      const entry = entries[p]!;
      if (entry < 0) continue;
      for (let q = postingStarts[entry]!; q < postingStarts[entry + 1]!; q++) {
        const item = postings[q]!;
        if (counts[item] === 0) touched[touchedCount++] = item;
        if (counts[item]! < 65535) counts[item] = counts[item]! + 1;
      }
    }
    // Candidates: the touched items that can reach the threshold by length alone (LCS ≤ the shorter length).
    let pool = 0;
    for (let t = 0; t < touchedCount; t++) {
      const item = touched[t]!;
      const m = starts[item + 1]! - starts[item]!;
      if (lcsRatioOf(Math.min(m, size), m, size) >= settings.lcs) keys[pool++] = (65535 - counts[item]!) * KEY + item;
      counts[item] = 0;
    }
    const limit = Math.min(pool, settings.maxCandidates);
    verdict.candidates = limit;
    if (limit === 0) return verdict;
    const ranked = keys.subarray(0, pool).sort();
    let loaded = false;
    bound.load(ids, size);
    for (let c = 0; c < limit; c++) {
      const item = ranked[c]! % KEY;
      const m = starts[item + 1]! - starts[item]!;
      // The exact LCS only where the token multisets' overlap (≥ the LCS) could reach the threshold.
      const need = leastLcs(settings.lcs, m, size);
      if (bound.overlap(flat, starts[item]!, starts[item + 1]!, need) < need) continue;
      if (!loaded) {
        scratch.load(ids, size);
        loaded = true;
      }
      const ratio = lcsRatioOf(scratch.lcs(flat, starts[item]!, starts[item + 1]!), m, size);
      if (ratio >= settings.lcs && ratio > (verdict.lcs?.ratio ?? -1)) {
        verdict.lcs = { item, ratio };
        if (ratio === 1) break;
      }
    }
    return verdict;
  };
}

// Where an entry's run first occurs (-1 for no entry).
function runAt(table: RunTable, entry: number): number {
  return entry < 0 ? -1 : table.firsts[entry]!;
}

// The least LCS length whose ratio (lcsRatioOf, the very function the rule applies) reaches `threshold` for lengths m
// and n; min(m, n) + 1 when none does.
export function leastLcs(threshold: number, m: number, n: number): number {
  const most = Math.min(m, n);
  let lcs = Math.max(0, Math.min(most, Math.ceil((threshold * (m + n)) / 2)));
  while (lcs > 0 && lcsRatioOf(lcs - 1, m, n) >= threshold) lcs--;
  while (lcs <= most && lcsRatioOf(lcs, m, n) < threshold) lcs++;
  return lcs;
}
