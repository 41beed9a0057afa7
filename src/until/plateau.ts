import type { PlateauRule } from '../recipe/types.ts';

export interface PlateauMeasure {
  /** Best value over the last `window` iterations. */
  best: number;
  /** The value at the iteration just before the window. */
  before: number;
  /** How much `best` beats `before` in the metric's better direction (negative when it got worse). */
  improvement: number;
  /** Whether the improvement is below `delta`, i.e. the metric has plateaued. */
  plateaued: boolean;
}

// Measures a plateau on exactly the last window+1 iterations (older history is ignored); undefined until all report the metric.
export function measurePlateau(
  rule: PlateauRule,
  history: ReadonlyArray<Readonly<Record<string, number>>>,
  higherIsBetter: boolean,
): PlateauMeasure | undefined {
  if (!Number.isInteger(rule.window) || rule.window < 1 || history.length < rule.window + 1) return undefined;
  const values: number[] = [];
  for (const metrics of history.slice(-(rule.window + 1))) {
    const value: unknown = Object.hasOwn(metrics, rule.metric) ? metrics[rule.metric] : undefined;
    if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
    values.push(value);
  }
  const [before = NaN, ...window] = values;
  const best = higherIsBetter ? Math.max(...window) : Math.min(...window);
  const improvement = higherIsBetter ? best - before : before - best;
  // An improvement equal to delta up to floating-point rounding (0.852 - 0.85 vs 0.002) is not "less than delta".
  const slack = 1e-12 * Math.max(Math.abs(best), Math.abs(before));
  return { best, before, improvement, plateaued: improvement < rule.delta - slack };
}
