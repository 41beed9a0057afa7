import { describe, expect, it } from 'vitest';
import { clean, compareMetrics, compareOne } from '../../src/diff/compare-metrics.ts';
import { metricGlob } from '../../src/diff/metric-glob.ts';

const higher = () => true;

describe('compareOne', () => {
  it('higher is better: up is better, down is worse', () => {
    expect(compareOne('m', 0.4, 0.5, true)).toEqual({ name: 'm', left: 0.4, right: 0.5, delta: 0.1, relative: 0.25, better: true });
    expect(compareOne('m', 0.5, 0.4, true)).toMatchObject({ delta: -0.1, relative: -0.2, better: false });
  });

  it('lower is better: down is better', () => {
    expect(compareOne('loss', 2, 1, false)).toMatchObject({ delta: -1, relative: -0.5, better: true });
    expect(compareOne('loss', 1, 2, false)).toMatchObject({ delta: 1, relative: 1, better: false });
  });

  it('equal values: better is null; relative is against |left|', () => {
    expect(compareOne('m', 3, 3, true)).toMatchObject({ delta: 0, relative: 0, better: null });
    expect(compareOne('m', -2, -1, true)).toMatchObject({ delta: 1, relative: 0.5, better: true });
  });

  it('relative is null when left is 0; everything is null when a side is missing', () => {
    expect(compareOne('m', 0, 1, true)).toMatchObject({ delta: 1, relative: null, better: true });
    expect(compareOne('m', null, 1, true)).toEqual({ name: 'm', left: null, right: 1, delta: null, relative: null, better: null });
    expect(compareOne('m', 1, null, true)).toEqual({ name: 'm', left: 1, right: null, delta: null, relative: null, better: null });
  });

  it('floating-point noise is dropped', () => {
    expect(0.5 - 0.4).not.toBe(0.1);
    expect(compareOne('m', 0.4, 0.5, true).delta).toBe(0.1);
    expect(clean(1 / 3)).toBe(0.333333333333);
    expect(clean(Infinity)).toBe(Infinity);
  });
});

describe('compareMetrics', () => {
  it('keeps metrics of either side, main metric first, the rest by name', () => {
    const out = compareMetrics(
      { 'eval.b': 1, 'train.loss': 2, 'eval.acc': 0.5 },
      { 'eval.b': 2, 'eval.z': 1, 'eval.acc': 0.6 },
      {
        higherIsBetter: (name) => name !== 'eval.b',
        first: 'eval.acc',
      },
    );
    expect(out.map((m) => [m.name, m.left, m.right, m.better])).toEqual([
      ['eval.acc', 0.5, 0.6, true],
      ['eval.b', 1, 2, false],
      ['eval.z', null, 1, null],
      ['train.loss', 2, null, null],
    ]);
  });

  it('filters with a glob', () => {
    const out = compareMetrics(
      { 'eval.a': 1, 'train.loss': 1 },
      { 'eval.b': 1 },
      { higherIsBetter: higher, include: metricGlob('eval.*') },
    );
    expect(out.map((m) => m.name)).toEqual(['eval.a', 'eval.b']);
  });
});

describe('metricGlob', () => {
  it('* matches anything, the rest literally, the whole name', () => {
    const g = metricGlob('eval.*');
    expect(['eval.acc', 'eval.a.b', 'eval.'].every(g)).toBe(true);
    expect(['evalXacc', 'train.eval.acc', 'xeval.acc'].some(g)).toBe(false);
    expect(metricGlob('*.loss')('train_sft.loss')).toBe(true);
    expect(metricGlob('*loss*')('eval.loss_rm')).toBe(true);
    expect(metricGlob('eval.acc')('eval.accuracy')).toBe(false);
    expect(metricGlob('a+(b)')('a+(b)')).toBe(true);
    expect(metricGlob(undefined)('anything')).toBe(true);
  });

  it('several globs separated by commas: a name matching any of them passes', () => {
    const g = metricGlob('eval.*, time.total.seconds');
    expect(['eval.accuracy', 'time.total.seconds'].every(g)).toBe(true);
    expect(['time.eval.seconds', 'select.kept'].some(g)).toBe(false);
  });
});
