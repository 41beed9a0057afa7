// When an evolve loop stops. Evaluated after each iteration finishes, on that iteration's metrics and the
// trailing history; the first rule that holds, in this order, gives the reason:
//
//   1. metric      — the `until.metric` condition is true on the latest iteration's metrics (the success case).
//                    A metric that is absent makes its comparison unknown, and unknown never stops the loop.
//   2. plateau     — the last window+1 iterations all reported `plateau.metric`, and the best value of the last
//                    `window` of them beats the value of the iteration just before them by less than `delta`
//                    (in the better direction: higher unless `higherIsBetter: false`). Older history is ignored.
//   3. walltime    — elapsedSeconds >= walltimeSeconds.
//   4. max_iterations — iteration >= maxIterations. Iteration 0 is the initial SFT model, so max_iterations 4
//                    runs iterations 0..4.
//
// Rules left out of the StopRule never fire. The function is pure; callers keep `historyWindow(rule)` entries.
import type { StopRule } from '../recipe/types.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import { formatDuration } from './parse-duration.ts';
import { formatMetricValue } from './format-metric-value.ts';
import { parseCondition, conditionMetrics } from './parse-condition.ts';
import { measurePlateau } from './plateau.ts';

export type StopRuleName = 'max_iterations' | 'metric' | 'plateau' | 'walltime';

export type StopDecision = { stop: true; reason: string; rule: StopRuleName } | { stop: false };

export interface StopState {
  /** The iteration that just finished (0 = the initial SFT model). */
  iteration: number;
  /** Metrics of the trailing iterations, oldest first; the last one is `iteration`'s. */
  history: ReadonlyArray<Readonly<Record<string, number>>>;
  elapsedSeconds: number;
  /** Whether the plateau metric improves upward (default true). */
  higherIsBetter?: boolean;
}

// Decides, after an iteration, whether the loop stops and why, in one human sentence with the numbers.
export function checkStopRule(rule: StopRule, state: StopState): StopDecision {
  return (
    metricRule(rule, state) ?? plateauRule(rule, state) ?? walltimeRule(rule, state) ?? maxIterationsRule(rule, state) ?? { stop: false }
  );
}

// How many trailing iterations of metrics a caller must keep for checkStopRule, so history stays bounded.
export function historyWindow(rule: StopRule): number {
  return rule.plateau ? rule.plateau.window + 1 : 1;
}

// What a finished iteration keeps in the trailing history: only the metrics a later decision reads (the plateau
// metric; the metric rule reads the latest iteration alone), so the snapshot stays small however many metrics a run reports.
export function historyEntry(rule: StopRule, metrics: Readonly<Record<string, number>>): Record<string, number> {
  const name = rule.plateau?.metric;
  return name !== undefined && Object.hasOwn(metrics, name) ? { [name]: metrics[name]! } : {};
}

function metricRule(rule: StopRule, state: StopState): StopDecision | undefined {
  const latest = state.history.at(-1);
  if (rule.metric === undefined || latest === undefined) return undefined;
  const condition = parseCondition(rule.metric);
  const result = evaluateCondition(condition, latest);
  if (result.value !== true) return undefined;
  const values = conditionMetrics(condition).map((name) => {
    const value = Object.hasOwn(latest, name) ? latest[name] : undefined;
    return result.missing.includes(name) || value === undefined ? `${name} not reported` : `${name} = ${formatMetricValue(value)}`;
  });
  const shown = values.length > 0 ? ` (${values.join(', ')})` : '';
  return { stop: true, rule: 'metric', reason: `${rule.metric.trim().replace(/\s+/g, ' ')} held at iteration ${state.iteration}${shown}` };
}

function plateauRule(rule: StopRule, state: StopState): StopDecision | undefined {
  if (!rule.plateau) return undefined;
  const { metric, delta, window } = rule.plateau;
  const measure = measurePlateau(rule.plateau, state.history, state.higherIsBetter ?? true);
  if (!measure?.plateaued) return undefined;
  const span = window === 1 ? 'the last iteration' : `the last ${window} iterations`;
  const reason =
    measure.improvement > 0
      ? `plateau: ${metric} improved by ${formatMetricValue(measure.improvement)} < ${delta} over ${span}`
      : `plateau: ${metric} did not improve over ${span} (best ${formatMetricValue(measure.best)}, ${formatMetricValue(measure.before)} ` +
        `before)`;
  return { stop: true, rule: 'plateau', reason };
}

function walltimeRule(rule: StopRule, state: StopState): StopDecision | undefined {
  const budget = rule.walltimeSeconds;
  if (budget === undefined || state.elapsedSeconds < budget) return undefined;
  const elapsed = formatDuration(state.elapsedSeconds);
  const allowed = formatDuration(budget);
  const verb = elapsed === allowed ? 'reached' : 'exceeded';
  return { stop: true, rule: 'walltime', reason: `wall time ${elapsed} ${verb} the budget ${allowed}` };
}

function maxIterationsRule(rule: StopRule, state: StopState): StopDecision | undefined {
  if (rule.maxIterations === undefined || state.iteration < rule.maxIterations) return undefined;
  return { stop: true, rule: 'max_iterations', reason: `reached max_iterations ${rule.maxIterations}` };
}
