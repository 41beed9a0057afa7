import { readRunReport, type IterationSummary, type RunReport } from '../metrics/read-run-report.ts';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { runPaths, type RunPaths } from '../run-folder/run-paths.ts';
import type { Recipe } from '../recipe/types.ts';
import { parseRunRef } from './run-ref.ts';
import { isCostMetric } from '../metrics/cost-metrics.ts';
import { resolveIteration } from './resolve-iteration.ts';

// One side of a diff: the run, its recipe, and the iteration the reference chose.
export interface RunSide {
  run: string;
  paths: RunPaths;
  report: RunReport;
  recipe: Recipe;
  iteration: IterationSummary;
}

// Whether higher is better for a metric in a recipe; metrics the recipe does not declare default to higher,
// except time and GPU-hours (lower).
export function higherIsBetterIn(recipe: Recipe): (name: string) => boolean {
  return (name) => recipe.metrics.find((m) => m.name === name)?.higherIsBetter ?? !isCostMetric(name);
}

// Reads the run a reference names (RunNotFoundError when there is none), then picks its iteration.
export function loadRunSide(home: string, text: string): RunSide {
  const ref = parseRunRef(text);
  const report = readRunReport(home, ref.run);
  const paths = runPaths(home, ref.run);
  const recipe = readRunRecipe(paths);
  const iteration = resolveIteration(ref, {
    iterations: report.iterations,
    mainMetric: report.mainMetric,
    higherIsBetter: higherIsBetterIn(recipe)(report.mainMetric),
  });
  return { run: ref.run, paths, report, recipe, iteration };
}
