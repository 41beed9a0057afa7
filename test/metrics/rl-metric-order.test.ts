import { describe, expect, it } from 'vitest';
import { rlMetricNames } from '../../src/metrics/rl-metric-order.ts';

describe('rlMetricNames', () => {
  it("puts rl_eval's first, then rl_train's, then the rest, each by name", () => {
    const metrics = {
      'rl_filter.kept': 3,
      'rl_train.steps': 40,
      'rl_eval.pass_at_8': 0.9,
      'rl_eval.accuracy': 0.6,
      'rl_sample.queries': 8,
    };
    expect(rlMetricNames(metrics)).toEqual([
      'rl_eval.accuracy',
      'rl_eval.pass_at_8',
      'rl_train.steps',
      'rl_filter.kept',
      'rl_sample.queries',
    ]);
  });
});
