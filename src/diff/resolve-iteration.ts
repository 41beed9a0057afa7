import { UsageError } from '../errors/loop-error.ts';
import type { IterationSummary } from '../metrics/read-run-report.ts';
import type { RunRef } from './run-ref.ts';
import { isCostMetric } from '../metrics/cost-metrics.ts';

export interface RunMetricsView {
  iterations: IterationSummary[];
  mainMetric: string;
  /** The main metric's direction in this run's recipe. */
  higherIsBetter: boolean;
}

// The iteration a reference points at; a bad selector or a missing iteration is a usage error naming the run's iterations.
export function resolveIteration(ref: RunRef, run: RunMetricsView): IterationSummary {
  const { selector } = ref;
  const hint = () => `iterations of ${ref.run}: ${describeIndices(run.iterations)}; write ${ref.run}, ${ref.run}@N or ${ref.run}@best`;
  if (selector === null) throw new UsageError(`"${ref.text}" is not an iteration reference; ${hint()}`);
  if (selector.kind === 'index') {
    const found = run.iterations.find((it) => it.index === selector.index);
    if (!found) throw new UsageError(`run ${ref.run} has no iteration ${selector.index}; ${hint()}`);
    return found;
  }
  // Wall times alone (a stage that failed) do not make an iteration the one to compare.
  const scored = run.iterations.filter((it) => Object.keys(it.metrics).some((name) => !isCostMetric(name)));
  if (selector.kind === 'last') {
    const last = scored.at(-1);
    if (!last) throw new UsageError(`run ${ref.run} has no iteration with metrics yet; ${hint()}`);
    return last;
  }
  const best = bestIteration(run);
  if (!best) throw new UsageError(`run ${ref.run} has no iteration with its main metric ${run.mainMetric} yet; ${hint()}`);
  return best;
}

// The iteration with the best main metric in its direction; on a tie, the earliest reaching it.
export function bestIteration(run: RunMetricsView): IterationSummary | undefined {
  let best: IterationSummary | undefined;
  for (const it of run.iterations) {
    const value = it.metrics[run.mainMetric];
    if (value === undefined || Number.isNaN(value)) continue;
    const current = best?.metrics[run.mainMetric];
    if (current === undefined || (run.higherIsBetter ? value > current : value < current)) best = it;
  }
  return best;
}

// "0, 1, 2" or "0–41" style list for messages; "none yet" when the run has no iteration folder.
function describeIndices(iterations: IterationSummary[]): string {
  if (iterations.length === 0) return 'none yet';
  const indices = iterations.map((it) => it.index);
  const contiguous = indices.every((n, i) => i === 0 || n === indices[i - 1]! + 1);
  if (contiguous && indices.length > 5) return `${indices[0]}–${indices.at(-1)}`;
  return indices.join(', ');
}
