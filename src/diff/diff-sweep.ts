import { existsSync } from 'node:fs';
import { RECENT_ITERATIONS, readRunReport } from '../metrics/read-run-report.ts';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { runPaths } from '../run-folder/run-paths.ts';
import type { RunStatus } from '../run-folder/run-state.ts';
import type { SweepManifest } from '../sweep/sweep-manifest.ts';
import type { GridAxis } from '../sweep/parse-grid.ts';
import { higherIsBetterIn } from './load-run-side.ts';
import { metricGlob } from './metric-glob.ts';

// One run of the sweep as the table shows it: its grid values and its last iteration with metrics.
export interface SweepRunColumn {
  run: string;
  values: Record<string, string>;
  /** `not-started` when its controller never began (interrupted sweep), `missing` when its folder is gone. */
  status: RunStatus | 'not-started' | 'missing';
  /** The last iteration with metrics; null when none has any yet. */
  iteration: number | null;
}

// One metric across the sweep's runs (null where a run lacks it) and which runs hold the best value.
export interface SweepMetricRow {
  name: string;
  higherIsBetter: boolean;
  values: (number | null)[];
  best: string[];
}

// What `loop diff SWEEP --json` prints (docs/reference/cli/diff.md documents each field).
export interface SweepDiff {
  sweep: string;
  grid: GridAxis[];
  mainMetric: string;
  runs: SweepRunColumn[];
  metrics: SweepMetricRow[];
}

// Lines up every run of a sweep: each run's last iteration with metrics, one row per metric, the best marked in
// the metric's direction (the first run's recipe declares it; ties all count as best).
export function diffSweep(params: { home: string; manifest: SweepManifest; metric?: string }): SweepDiff {
  const { home, manifest } = params;
  const include = metricGlob(params.metric);
  let mainMetric = 'eval.accuracy';
  let direction: (name: string) => boolean = () => true;
  let directionSet = false;
  const last: Array<Record<string, number>> = [];
  const runs = manifest.runs.map((entry): SweepRunColumn => {
    const paths = runPaths(home, entry.name);
    if (!existsSync(paths.state)) {
      last.push({});
      return { run: entry.name, values: entry.values, status: existsSync(paths.root) ? 'not-started' : 'missing', iteration: null };
    }
    const report = readRunReport(home, entry.name, { recent: RECENT_ITERATIONS });
    if (!directionSet) {
      mainMetric = report.mainMetric;
      direction = higherIsBetterIn(readRunRecipe(paths));
      directionSet = true;
    }
    const it = report.iterations.findLast((i) => Object.keys(i.metrics).length > 0);
    last.push(it?.metrics ?? {});
    return { run: entry.name, values: entry.values, status: report.status, iteration: it?.index ?? null };
  });
  const names = [...new Set(last.flatMap((m) => Object.keys(m)))].filter(include);
  names.sort((a, b) => (a === mainMetric ? -1 : b === mainMetric ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const metrics = names.map((name): SweepMetricRow => {
    const values = last.map((m) => m[name] ?? null);
    const higherIsBetter = direction(name);
    const present = values.filter((v): v is number => v !== null && !Number.isNaN(v));
    const top = present.length === 0 ? undefined : higherIsBetter ? Math.max(...present) : Math.min(...present);
    const best = top === undefined ? [] : runs.filter((_, i) => values[i] === top).map((r) => r.run);
    return { name, higherIsBetter, values, best };
  });
  return { sweep: manifest.name, grid: manifest.grid, mainMetric, runs, metrics };
}
