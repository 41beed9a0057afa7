import { describe, expect, it } from 'vitest';
import { answersEqual } from '../../../src/data/grade/answers-equal.ts';
import { judgeResponse } from '../../../src/data/grade/judge-response.ts';
import { symbolicEqual } from '../../../src/data/grade/symbolic-equal.ts';
import { extractAnswer } from '../../../src/data/grade/extract-answer.ts';
import { referenceAnswer } from '../../../src/data/queries/load-queries.ts';
import { answerClusters } from '../../../src/data/vote/answer-clusters.ts';
import { loadEquivalenceSuite } from './equivalence-suite.ts';

// grade, select and rl-filter judge with answersEqual (rl-filter counts grade's verdicts); vote groups answers with
// answerClusters. They must never disagree: two answers voting together are equal for grading, and back.
describe('one equivalence for grade, vote, select and rl-filter', () => {
  it('exact integers: 9999 is not 10000 anywhere', () => {
    expect(answersEqual('9999', '10000')).toBe(false);
    expect(judgeResponse('so \\boxed{9999}', '10000', symbolicEqual)).toBe(false);
    expect(judgeResponse('so \\boxed{10,000}', '10000', symbolicEqual)).toBe(true);
    expect(answersEqual('9,999', '10,000')).toBe(false);
    const clusters = answerClusters(['9999', '10000', '10,000', '10000.0']);
    expect(clusters[0]).not.toBe(clusters[1]);
    expect(clusters[1]).toBe(clusters[2]);
    expect(clusters[1]).toBe(clusters[3]);
  });

  it('answerClusters joins two answers of the suite exactly when the fast equivalence says equal', () => {
    let joined = 0;
    for (const c of loadEquivalenceSuite()) {
      const pred = extractAnswer(c.pred);
      if (pred === null) continue;
      const ref = referenceAnswer(c.gold);
      const fast = answersEqual(pred, ref);
      const [a, b] = answerClusters([pred, ref]);
      if (fast === undefined) continue; // needs the engine: vote keeps such answers apart, grade asks the engine
      expect(a === b, `${JSON.stringify(pred)} vs ${JSON.stringify(ref)}`).toBe(fast);
      if (a === b) joined += 1;
    }
    expect(joined).toBeGreaterThan(200);
  });
});
