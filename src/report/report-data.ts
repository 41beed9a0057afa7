import path from 'node:path';
import { readRunReport, type RunReport } from '../metrics/read-run-report.ts';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { runPaths } from '../run-folder/run-paths.ts';
import { higherIsBetterIn } from '../diff/load-run-side.ts';
import { CURVES_FILE, readCurves, type StageCurves } from '../metrics/read-curves.ts';
import { isCostMetric } from '../metrics/cost-metrics.ts';
import { stageTimeline, type IterationTimeline } from './stage-timeline.ts';
import { readProvenance, type IterationProvenance } from './read-provenance.ts';
import { selectionStats, type SelectionStats } from './selection-stats.ts';

// One metric over the run's iterations: values[i] belongs to iterations[i], null where that iteration has none.
export interface MetricSeries {
  name: string;
  higherIsBetter: boolean;
  values: (number | null)[];
}

// One stage's training curve in one iteration.
export interface CurveSet extends StageCurves {
  stage: string;
  iteration: number;
}

// Everything `loop report` draws, as the page embeds it (docs/reference/cli/report.md).
export interface ReportData {
  run: string;
  status: RunReport['status'];
  stopReason: string | null;
  error: string | null;
  mainMetric: string;
  createdAt: string;
  updatedAt: string;
  generatedAt: string;
  /** The iterations that have metrics, in order: the x axis of every metric chart. */
  iterations: number[];
  metrics: MetricSeries[];
  curves: CurveSet[];
  timeline: IterationTimeline[];
  selection: SelectionStats[];
  provenance: IterationProvenance[];
  /** The RL phase (docs/rl-phase.md): each stage's status and its metrics as STAGE.METRIC; null without one. */
  rl: { after: number; stages: Record<string, string>; metrics: Record<string, number> } | null;
}

// Gathers a run's report: metric series (the main metric first, then stage metrics in stage order, then time and
// GPU-hours), each training stage's curves.jsonl, the stage timeline, selection statistics and provenance.
export function reportData(params: { home: string; run: string; now?: Date }): ReportData {
  const now = params.now ?? new Date();
  const report = readRunReport(params.home, params.run);
  const paths = runPaths(params.home, params.run);
  const recipe = readRunRecipe(paths);
  const scored = report.iterations.filter((it) => Object.keys(it.metrics).length > 0);
  const names = [...new Set(scored.flatMap((it) => Object.keys(it.metrics)))].sort(
    metricOrder(
      report.mainMetric,
      recipe.stages.map((s) => s.name),
    ),
  );
  const direction = higherIsBetterIn(recipe);
  const curves: CurveSet[] = [];
  const addCurves = (iteration: number, stages: Record<string, { status: string }>) => {
    for (const [stage, summary] of Object.entries(stages)) {
      if (summary.status !== 'succeeded') continue;
      const found = readCurves(path.join(paths.stageOut(iteration, stage), CURVES_FILE));
      if (found && found.steps.length > 0) curves.push({ stage, iteration, ...found });
    }
  };
  for (const it of report.iterations) addCurves(it.index, it.stages);
  // The RL phase ran once, after the loop's last iteration: its curves (rl_train's reward per step) count as that one's.
  if (report.rl) addCurves(report.rl.after, report.rl.stages);
  return {
    run: report.name,
    status: report.status,
    stopReason: report.stopReason,
    error: report.error?.message ?? null,
    mainMetric: report.mainMetric,
    createdAt: report.createdAt,
    updatedAt: report.updatedAt,
    generatedAt: now.toISOString(),
    iterations: scored.map((it) => it.index),
    metrics: names.map((name) => ({ name, higherIsBetter: direction(name), values: scored.map((it) => it.metrics[name] ?? null) })),
    curves,
    timeline: stageTimeline(report.iterations, now.getTime(), report.rl ? { after: report.rl.after, stages: report.rl.stages } : undefined),
    selection: selectionStats(paths, recipe, report.iterations),
    provenance: readProvenance(
      paths,
      report.iterations.map((it) => it.index),
    ),
    rl: report.rl
      ? {
          after: report.rl.after,
          stages: Object.fromEntries(Object.entries(report.rl.stages).map(([stage, s]) => [stage, s.status])),
          metrics: report.rl.metrics,
        }
      : null,
  };
}

// Main metric, then eval's, then the other stages' own metrics in the recipe's stage order, then time, then GPU-hours; by name within.
function metricOrder(main: string, stages: string[]): (a: string, b: string) => number {
  const rank = (name: string) => {
    if (name === main) return -2;
    if (name.startsWith('eval.')) return -1;
    if (name.startsWith('time.')) return 1000;
    if (name.startsWith('gpu_hours.')) return 1001;
    const stage = stages.indexOf(name.split('.')[0]!);
    return isCostMetric(name) || stage < 0 ? 999 : stage;
  };
  return (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
