import type { IndexSettings } from './test-index.ts';
import type { MatchSettings } from './match-item.ts';

export type DecontaminateSettings = IndexSettings & MatchSettings;

// The method's numbers (13-gram, LCS ratio 0.6) and the candidate index's, documented in docs/data/decontamination.md.
export const DEFAULT_SETTINGS: DecontaminateSettings = {
  ngram: 13,
  lcs: 0.6,
  shingle: 3,
  maxPostings: 40,
  maxCandidates: 30,
};
