import type { Recipe } from '../recipe/types.ts';
import type { IndexTotals } from '../run-folder/iteration-index.ts';
import type { IterationSummary } from '../run-folder/iteration-summary.ts';
import { iterationGpuHours } from './cost-metrics.ts';

// The totals before iteration 0.
export function noTotals(recipe: Recipe): IndexTotals {
  return { gpuHours: 0, mainMetric: recipe.mainMetric, higherIsBetter: mainHigherIsBetter(recipe), best: null };
}

// The totals through `it`, from those through the iteration before it.
export function nextTotals(previous: IndexTotals, it: IterationSummary, recipe: Recipe): IndexTotals {
  const value = it.metrics[previous.mainMetric];
  let best = previous.best;
  if (value !== undefined && (!best || (previous.higherIsBetter ? value > best.value : value < best.value))) {
    best = { iteration: it.index, value };
  }
  return { ...previous, gpuHours: previous.gpuHours + iterationGpuHours(it, recipe), best };
}

// The totals through the last of `iterations` (all of a run's, in order).
export function totalsOf(iterations: IterationSummary[], recipe: Recipe): IndexTotals {
  return iterations.reduce((totals, it) => nextTotals(totals, it, recipe), noTotals(recipe));
}

// Whether totals written earlier still answer for this recipe: a recipe edit on resume may name another main metric
// or turn its direction, and then the best must be found again from every iteration.
export function totalsFit(totals: IndexTotals, recipe: Recipe): boolean {
  return totals.mainMetric === recipe.mainMetric && totals.higherIsBetter === mainHigherIsBetter(recipe);
}

export function mainHigherIsBetter(recipe: Recipe): boolean {
  return recipe.metrics.find((m) => m.name === recipe.mainMetric)?.higherIsBetter ?? true;
}
