// The quickstart's RL pieces: the shaped reward orders every wrong answer below every right one, GRPO's
// group advantages and gradient behave as the method says. (The RL phase's filter is the built-in kind rl-filter:
// test/data/rl-filter/, test/cli/data-shaping.test.ts.)
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types
import { groupAdvantages, groupGradient, shapedReward, softmax, toLogits } from '../../recipes/quickstart/lib/grpo.mjs';

describe('quickstart GRPO', () => {
  it('the shaped reward puts every wrong answer below every right one, the RM ordering within each', () => {
    const rms = [-60, -3, -0.5, 0, 0.5, 3, 60]; // beyond |60|, sigmoid(0.5·rm) rounds to 0 or 1 and the two meet at 0
    const wrong = rms.map((rm) => shapedReward(rm, false));
    const right = rms.map((rm) => shapedReward(rm, true));
    expect(Math.max(...wrong)).toBeLessThan(Math.min(...right));
    expect(shapedReward(0, true)).toBeCloseTo(0.5);
    expect(shapedReward(0, false)).toBeCloseTo(-0.5);
    expect(shapedReward(2, true)).toBeCloseTo(1 / (1 + Math.exp(-1))); // alpha 0.5
    for (let i = 1; i < rms.length; i++) expect(right[i]).toBeGreaterThanOrEqual(right[i - 1]);
  });

  it('group advantages are centred and scaled per group; a uniform group gives none', () => {
    const a = groupAdvantages([1, 0, 0, 1]);
    expect(a).toEqual([1, -1, -1, 1]);
    expect(groupAdvantages([0.3, 0.3, 0.3])).toEqual([0, 0, 0]);
  });

  it('the gradient raises the logit of what scored above the group mean', () => {
    const dist = { a: 0.5, b: 0.5 };
    const g = groupGradient(dist, ['a', 'b'], groupAdvantages([1, 0]));
    expect(g.a).toBeGreaterThan(0);
    expect(g.b).toBeCloseTo(-g.a);
    const back = softmax(toLogits({ a: 0.2, b: 0.8 }));
    expect(back.a).toBeCloseTo(0.2);
  });
});
