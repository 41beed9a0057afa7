import { tokenize } from '../text/tokenize.ts';
import { hashIds } from './hash-ids.ts';
import { createLcsScratch } from './lcs-bits.ts';
import { lcsRatioOf } from './lcs-length.ts';
import { unpackNgram, type TestIndex } from './test-index.ts';

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

// A reusable matcher: owns the per-item scratch (shared-shingle counters over all test items) so matching a million
// train items allocates almost nothing.
export function createMatcher(index: TestIndex, settings: MatchSettings): (text: string) => Verdict {
  const counts = new Uint16Array(index.refs.length);
  const touched: number[] = [];
  const scratch = createLcsScratch(index.vocab.size);
  const { ngram, shingle } = index.settings;
  return (text) => {
    const words = tokenize(text);
    const ids = new Int32Array(words.length);
    for (let i = 0; i < words.length; i++) ids[i] = index.vocab.get(words[i]!) ?? -1;
    const verdict: Verdict = { candidates: 0 };
    if (ngram > 0) {
      let unknownAt = -1;
      for (let i = 0; i < ngram - 1 && i < ids.length; i++) if (ids[i]! < 0) unknownAt = i;
      for (let p = 0; p + ngram <= ids.length; p++) {
        if (ids[p + ngram - 1]! < 0) unknownAt = p + ngram - 1;
        if (unknownAt >= p) continue;
        const value = index.ngrams.get(hashIds(ids, p, ngram));
        if (value === undefined) continue;
        const { item, position } = unpackNgram(value);
        if (sameTokens(ids, p, index.tokens[item]!, position, ngram)) {
          verdict.ngram = { item, position, text: words.slice(p, p + ngram).join(' ') };
          break;
        }
      }
    }
    if (settings.lcs <= 0) return verdict;
    for (let p = 0; p + shingle <= ids.length; p++) {
      let known = true;
      for (let k = p; k < p + shingle; k++) if (ids[k]! < 0) known = false;
      if (!known) continue;
      const at = index.shingles.get(hashIds(ids, p, shingle));
      if (at === undefined) continue;
      for (let q = index.postingStarts[at]!; q < index.postingStarts[at + 1]!; q++) {
        const item = index.postings[q]!;
        if (counts[item] === 0) touched.push(item);
        if (counts[item]! < 65535) counts[item] = counts[item]! + 1;
      }
    }
    const candidates = topCandidates(touched, counts, settings.maxCandidates, (item) => {
      const m = index.tokens[item]!.length;
      return lcsRatioOf(Math.min(m, ids.length), m, ids.length) >= settings.lcs;
    });
    for (const item of touched) counts[item] = 0;
    touched.length = 0;
    const limit = Math.min(candidates.length, settings.maxCandidates);
    verdict.candidates = limit;
    if (limit > 0) scratch.load(ids);
    for (let c = 0; c < limit; c++) {
      const item = candidates[c]!;
      const ratio = lcsRatioOf(scratch.lcs(index.tokens[item]!), index.tokens[item]!.length, ids.length);
      if (ratio >= settings.lcs && ratio > (verdict.lcs?.ratio ?? -1)) {
        verdict.lcs = { item, ratio };
        if (ratio === 1) break;
      }
    }
    return verdict;
  };
}

function sameTokens(a: Int32Array, at: number, b: Int32Array, bt: number, count: number): boolean {
  for (let k = 0; k < count; k++) if (a[at + k] !== b[bt + k]) return false;
  return true;
}

// The at most `limit` eligible items sharing the most shingles, most first (ties: lower item first), in time linear
// in the touched items: a histogram of counts finds the cut-off, and only the survivors are sorted.
function topCandidates(touched: number[], counts: Uint16Array, limit: number, eligible: (item: number) => boolean): number[] {
  const pool: number[] = [];
  let most = 0;
  for (const item of touched) {
    if (!eligible(item)) continue;
    pool.push(item);
    if (counts[item]! > most) most = counts[item]!;
  }
  if (pool.length > limit) {
    const histogram = new Int32Array(most + 1);
    for (const item of pool) histogram[counts[item]!]! += 1;
    let cut = most;
    for (let seen = histogram[most]!; seen < limit && cut > 0; ) seen += histogram[--cut]!;
    let write = 0;
    for (const item of pool) if (counts[item]! >= cut) pool[write++] = item;
    pool.length = write;
  }
  pool.sort((a, b) => counts[b]! - counts[a]! || a - b);
  if (pool.length > limit) pool.length = limit;
  return pool;
}
