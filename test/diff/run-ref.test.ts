import { describe, expect, it } from 'vitest';
import { parseRunRef } from '../../src/diff/run-ref.ts';
import { bestIteration, resolveIteration } from '../../src/diff/resolve-iteration.ts';
import type { IterationSummary } from '../../src/metrics/read-run-report.ts';

const it_ = (index: number, metrics: Record<string, number>): IterationSummary => ({ index, metrics, stages: {} });
// Iteration 3 failed after one stage: only its wall time is known.
const ITERATIONS = [
  it_(0, { 'eval.loss': 2 }),
  it_(1, { 'eval.loss': 1.5, 'eval.acc': 0.5 }),
  it_(2, { 'eval.loss': 1.7 }),
  it_(3, { 'time.total.seconds': 4 }),
];
const run = (higherIsBetter: boolean, mainMetric = 'eval.loss') => ({ iterations: ITERATIONS, mainMetric, higherIsBetter });

describe('parseRunRef', () => {
  it('reads RUN, RUN@N and RUN@best', () => {
    expect(parseRunRef('q')).toEqual({ text: 'q', run: 'q', selector: { kind: 'last' } });
    expect(parseRunRef('q-2.b@12')).toEqual({ text: 'q-2.b@12', run: 'q-2.b', selector: { kind: 'index', index: 12 } });
    expect(parseRunRef('q@best')).toEqual({ text: 'q@best', run: 'q', selector: { kind: 'best' } });
  });

  it('leaves a bad selector for the resolver, which knows the iterations', () => {
    for (const text of ['q@x', 'q@', 'q@-1', 'q@1.5', 'q@best@2', 'q@BEST']) expect(parseRunRef(text).selector).toBeNull();
  });

  it('refuses a reference with no run', () => {
    expect(() => parseRunRef('@3')).toThrow('"@3" names no run; write RUN, RUN@N or RUN@best');
  });
});

describe('resolveIteration', () => {
  it('RUN@N is that iteration; RUN is the last with metrics (wall times alone do not count)', () => {
    expect(resolveIteration(parseRunRef('q@2'), run(true)).index).toBe(2);
    expect(resolveIteration(parseRunRef('q@3'), run(true)).index).toBe(3);
    expect(resolveIteration(parseRunRef('q'), run(true)).index).toBe(2);
  });

  it('RUN@best follows the main metric direction, the earliest on a tie', () => {
    expect(resolveIteration(parseRunRef('q@best'), run(false)).index).toBe(1);
    expect(resolveIteration(parseRunRef('q@best'), run(true)).index).toBe(0);
    expect(bestIteration({ iterations: [it_(0, { m: 1 }), it_(1, { m: 1 })], mainMetric: 'm', higherIsBetter: true })?.index).toBe(0);
    expect(bestIteration(run(true, 'eval.acc'))?.index).toBe(1);
  });

  it('errors name the run and its iterations', () => {
    expect(() => resolveIteration(parseRunRef('q@x'), run(true))).toThrow(
      '"q@x" is not an iteration reference; iterations of q: 0, 1, 2, 3; write q, q@N or q@best',
    );
    expect(() => resolveIteration(parseRunRef('q@9'), run(true))).toThrow('run q has no iteration 9; iterations of q: 0, 1, 2, 3');
    expect(() => resolveIteration(parseRunRef('q@best'), run(true, 'eval.nope'))).toThrow('no iteration with its main metric eval.nope');
    const empty = { iterations: [], mainMetric: 'm', higherIsBetter: true };
    expect(() => resolveIteration(parseRunRef('q'), empty)).toThrow('run q has no iteration with metrics yet; iterations of q: none yet');
    const many = { iterations: Array.from({ length: 40 }, (_, i) => it_(i, {})), mainMetric: 'm', higherIsBetter: true };
    expect(() => resolveIteration(parseRunRef('q@40'), many)).toThrow('iterations of q: 0–39');
  });

  it('errors are usage errors (exit 2)', () => {
    try {
      resolveIteration(parseRunRef('q@9'), run(true));
    } catch (error) {
      expect((error as { code: string }).code).toBe('E_USAGE');
    }
    expect.assertions(1);
  });
});
