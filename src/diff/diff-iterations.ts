import { checkName } from '../recipe/check-name.ts';
import { parseRunRef } from './run-ref.ts';
import { compareMetrics, type MetricComparison } from './compare-metrics.ts';
import { diffConfigs, type ConfigChange } from './diff-configs.ts';
import { diffRows, selectedRowsFile, type RowsChange } from './diff-selected-rows.ts';
import { higherIsBetterIn, loadRunSide, type RunSide } from './load-run-side.ts';
import { metricGlob } from './metric-glob.ts';
import { stageJsonlOutput } from './stage-jsonl-output.ts';
import { diffVotes, type VoteAgreement } from './diff-votes.ts';
import { diffKeptQueries, type KeptQueriesChange } from './diff-kept-queries.ts';

// What `loop diff A B --json` prints (docs/reference/cli/diff.md documents each field).
export interface IterationDiff {
  left: { run: string; iteration: number };
  right: { run: string; iteration: number };
  /** The main metric of the right run, listed first. */
  mainMetric: string;
  metrics: MetricComparison[];
  config: ConfigChange[];
  /** Rows of the select stage's JSONL output added and removed; null unless both sides have one. */
  data: RowsChange | null;
  /** The two runs' RL phases compared (rl_* metrics); null when neither run has RL-phase metrics. */
  rl: MetricComparison[] | null;
  /** How often the two sides' votes (the select stage's `votes` output) picked the same answer; null unless both have one. */
  votes: VoteAgreement | null;
  /** RL queries the rl_filter stage kept on each side, by id; null unless both have its output. */
  rlQueries: KeptQueriesChange | null;
}

// Compares two iterations (of one run or two): metrics in the right run's directions, recipe keys, selected rows,
// vote agreement and kept RL queries.
export function diffIterations(params: { home: string; left: string; right: string; metric?: string }): IterationDiff {
  // Both references are checked before either run is read, so a bad name is a usage error whatever its side.
  for (const text of [params.left, params.right]) checkName(parseRunRef(text).run);
  const left = loadRunSide(params.home, params.left);
  const right = loadRunSide(params.home, params.right);
  const mainMetric = right.report.mainMetric;
  const metrics = compareMetrics(left.iteration.metrics, right.iteration.metrics, {
    higherIsBetter: higherIsBetterIn(right.recipe),
    include: metricGlob(params.metric),
    first: mainMetric,
  });
  const leftRows = selectedRowsFile(left.paths, left.recipe, left.iteration.index);
  const rightRows = selectedRowsFile(right.paths, right.recipe, right.iteration.index);
  const output = (side: RunSide, stage: string, name?: string) =>
    stageJsonlOutput(side.paths, side.recipe, side.iteration.index, stage, name);
  const [leftVotes, rightVotes] = [output(left, 'select', 'votes'), output(right, 'select', 'votes')];
  const [leftRl, rightRl] = [output(left, 'rl_filter'), output(right, 'rl_filter')];
  return {
    left: { run: left.run, iteration: left.iteration.index },
    right: { run: right.run, iteration: right.iteration.index },
    mainMetric,
    metrics,
    config: diffConfigs(left.recipe, right.recipe),
    data: leftRows && rightRows ? diffRows(rightRows.output, leftRows.file, rightRows.file) : null,
    rl: compareRlPhases(left.report.rl?.metrics, right.report.rl?.metrics, right, params.metric),
    votes: leftVotes && rightVotes ? diffVotes(rightVotes.output, leftVotes.file, rightVotes.file) : null,
    rlQueries: leftRl && rightRl ? diffKeptQueries(rightRl.output, leftRl.file, rightRl.file) : null,
  };
}

// The RL phase is its own phase, not an iteration: its metrics are compared run against run, whatever iterations were chosen.
function compareRlPhases(
  left: Record<string, number> | undefined,
  right: Record<string, number> | undefined,
  side: ReturnType<typeof loadRunSide>,
  metric: string | undefined,
): MetricComparison[] | null {
  if (!left && !right) return null;
  return compareMetrics(left ?? {}, right ?? {}, {
    higherIsBetter: higherIsBetterIn(side.recipe),
    include: metricGlob(metric),
    first: 'rl_eval.accuracy',
  });
}
