import { describe, expect, it } from 'vitest';
import { judgeResponse } from '../../../src/data/grade/judge-response.ts';
import { symbolicEqual } from '../../../src/data/grade/symbolic-equal.ts';
import { AGREEMENT_GOAL, loadEquivalenceSuite } from './equivalence-suite.ts';

const suite = loadEquivalenceSuite();

describe('the equivalence suite (issue 16)', () => {
  it('has at least 600 cases, each with its source and rule, both verdicts well represented', () => {
    expect(suite.length).toBeGreaterThanOrEqual(600);
    for (const c of suite) {
      expect(c.source, JSON.stringify(c)).not.toBe('');
      expect(c.rule, JSON.stringify(c)).not.toBe('');
      expect(typeof c.expected).toBe('boolean');
    }
    expect(suite.filter((c) => !c.expected).length).toBeGreaterThan(100);
    // Public graders' test files, not only loop's own cases.
    expect(suite.filter((c) => !c.source.startsWith('loop')).length).toBeGreaterThanOrEqual(390);
  });

  it(`agrees with the expected verdicts on at least ${AGREEMENT_GOAL * 100}% of cases`, () => {
    const misses = suite.filter((c) => judgeResponse(c.pred, c.gold, symbolicEqual) !== c.expected);
    const agreement = 1 - misses.length / suite.length;
    const listing = misses.map(
      (c) =>
        `${c.source} [${c.rule}] gold=${JSON.stringify(c.gold.slice(0, 80))} pred=${JSON.stringify(c.pred.slice(-80))} ` +
        `expected=${c.expected}`,
    );
    expect(agreement, `agreement ${(agreement * 100).toFixed(1)}%; misses:\n${listing.join('\n')}`).toBeGreaterThanOrEqual(AGREEMENT_GOAL);
  });

  it('gives the same verdicts on a second run (no time budget inside the judgement)', () => {
    const first = suite.map((c) => judgeResponse(c.pred, c.gold, symbolicEqual));
    const second = suite.map((c) => judgeResponse(c.pred, c.gold, symbolicEqual));
    expect(second).toEqual(first);
  });
});
