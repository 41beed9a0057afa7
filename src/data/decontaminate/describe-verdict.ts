import type { Verdict } from './match-item.ts';
import type { TestItemRef } from './test-index.ts';

// One rule's match as REMOVED reports it: the test set, the test item's line (and id when it has one), the test text,
// and the evidence: the shared n-gram (normalized tokens) or the LCS ratio.
export interface RemovedMatch {
  rule: 'ngram' | 'lcs';
  test_set: string;
  test_line: number;
  test_id?: string | number;
  test_text: string;
  ngram?: string;
  lcs_ratio?: number;
}

// Turns a verdict's item numbers into the test sets' own names, lines and ids; the n-gram rule's match comes first.
export function describeVerdict(
  verdict: Verdict,
  refs: readonly (TestItemRef & { text: string })[],
  setNames: readonly string[],
): RemovedMatch[] {
  const describe = (item: number, rule: RemovedMatch['rule']): RemovedMatch => {
    const ref = refs[item]!;
    return {
      rule,
      test_set: setNames[ref.set]!,
      test_line: ref.line,
      ...(ref.id === undefined ? {} : { test_id: ref.id }),
      test_text: ref.text,
    };
  };
  const matches: RemovedMatch[] = [];
  if (verdict.ngram) matches.push({ ...describe(verdict.ngram.item, 'ngram'), ngram: verdict.ngram.text });
  if (verdict.lcs) matches.push({ ...describe(verdict.lcs.item, 'lcs'), lcs_ratio: Math.round(verdict.lcs.ratio * 10000) / 10000 });
  return matches;
}
