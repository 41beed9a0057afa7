import { readRunReport } from '../metrics/read-run-report.ts';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { runPaths } from '../run-folder/run-paths.ts';
import { higherIsBetterIn } from './load-run-side.ts';
import { metricGlob } from './metric-glob.ts';

// What `loop diff RUN --json` prints: one row per metric, one value per iteration (null where it has none).
export interface RunTrends {
  run: string;
  iterations: number[];
  /** How many iterations before those listed were left out (0 with --all, or when the run has no more). */
  earlierIterations: number;
  metrics: { name: string; higherIsBetter: boolean; values: (number | null)[] }[];
  /** The RL phase's metrics (filtered like the rest); null when the run has none. */
  rl: Record<string, number> | null;
}

// Every metric of a run across its last `recent` iterations (all without it); iterations without any (filtered)
// metric are left out.
export function runTrends(params: { home: string; run: string; metric?: string; recent?: number }): RunTrends {
  const report = readRunReport(params.home, params.run, params.recent === undefined ? {} : { recent: params.recent });
  const recipe = readRunRecipe(runPaths(params.home, params.run));
  const include = metricGlob(params.metric);
  const names = new Set<string>();
  for (const it of report.iterations) for (const name of Object.keys(it.metrics)) if (include(name)) names.add(name);
  const main = report.mainMetric;
  const sorted = [...names].sort((a, b) => (a === main ? -1 : b === main ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const iterations = report.iterations.filter((it) => sorted.some((name) => it.metrics[name] !== undefined));
  const direction = higherIsBetterIn(recipe);
  return {
    run: report.name,
    iterations: iterations.map((it) => it.index),
    earlierIterations: report.earlierIterations,
    metrics: sorted.map((name) => ({
      name,
      higherIsBetter: direction(name),
      values: iterations.map((it) => it.metrics[name] ?? null),
    })),
    rl: report.rl ? Object.fromEntries(Object.entries(report.rl.metrics).filter(([name]) => include(name))) : null,
  };
}
