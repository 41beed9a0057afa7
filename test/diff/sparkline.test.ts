import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/diff/sparkline.ts';

describe('sparkline', () => {
  it('scales to the row min and max', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 20])).toBe('▁█');
    expect(sparkline([0.3, 0.4, 0.5, 0.6])).toBe('▁▃▆█');
    expect(sparkline([5, 1, 3])).toBe('█▁▅');
  });

  it('a flat row sits mid-height; a missing value is a dot', () => {
    expect(sparkline([2, 2, 2])).toBe('▄▄▄');
    expect(sparkline([null, 1, null, 3])).toBe('·▁·█');
    expect(sparkline([null, null])).toBe('··');
    expect(sparkline([])).toBe('');
    expect(sparkline([Number.NaN, 1])).toBe('·▄');
  });
});
