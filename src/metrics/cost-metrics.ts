import type { Recipe } from '../recipe/types.ts';
import type { IterationSummary } from '../run-folder/iteration-summary.ts';
import { stageGpus } from './stage-gpus.ts';

// Whether a metric is one loop derives from stage records (time, GPU-hours) rather than one a script wrote.
export function isCostMetric(name: string): boolean {
  return name.startsWith('time.') || name.startsWith('gpu_hours.');
}

// Adds each iteration's cost metrics (docs/metrics.md): `time.STAGE.seconds` (wall time of the stage's
// attempts), `time.total.seconds`, `gpu_hours.STAGE` for stages holding GPUs, `gpu_hours.total` (this iteration)
// and `gpu_hours.cumulative` (the run through this iteration). Only ended stages count; a running one adds nothing.
// `before` is the GPU-hours of the iterations before the first one given (a reader of the index's last lines).
export function withCostMetrics(iterations: IterationSummary[], recipe: Recipe, before = 0): IterationSummary[] {
  let cumulative = before;
  return iterations.map((it) => {
    const cost: Record<string, number> = {};
    let seconds = 0;
    let gpuHours = 0;
    let ended = 0;
    for (const [name, stage] of Object.entries(it.stages)) {
      if (stage.wallMs === null || stage.wallMs === undefined) continue;
      ended++;
      const s = stage.wallMs / 1000;
      cost[`time.${name}.seconds`] = round(s);
      seconds += s;
      const spec = recipe.stages.find((st) => st.name === name);
      const gpus = spec ? stageGpus(spec) : 0;
      if (gpus > 0) {
        cost[`gpu_hours.${name}`] = round((gpus * s) / 3600);
        gpuHours += (gpus * s) / 3600;
      }
    }
    if (ended === 0) return it;
    cumulative += gpuHours;
    cost['time.total.seconds'] = round(seconds);
    cost['gpu_hours.total'] = round(gpuHours);
    cost['gpu_hours.cumulative'] = round(cumulative);
    return { ...it, metrics: { ...it.metrics, ...cost } };
  });
}

// Six significant digits: milliseconds stay visible, float noise does not.
function round(value: number): number {
  return Number(value.toPrecision(6));
}

// One iteration's GPU-hours, unrounded: what gpu_hours.total shows and gpu_hours.cumulative adds up.
export function iterationGpuHours(it: IterationSummary, recipe: Recipe): number {
  let hours = 0;
  for (const [name, stage] of Object.entries(it.stages)) {
    if (stage.wallMs === null || stage.wallMs === undefined) continue;
    const spec = recipe.stages.find((st) => st.name === name);
    const gpus = spec ? stageGpus(spec) : 0;
    if (gpus > 0) hours += (gpus * (stage.wallMs / 1000)) / 3600;
  }
  return hours;
}
