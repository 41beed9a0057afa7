import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { pendingCounts, type Sink } from './outbox.ts';
import { trackingPaths } from './tracking-paths.ts';
import { loadMlflowRecord } from './mlflow/ensure-mlflow-run.ts';

// What `loop status` shows of a run's trackers: how many points and messages wait in the outbox, per sink, and
// the MLflow run it logs into. Reads files only.
export interface TrackingStatus {
  pending: Record<Sink, number>;
  mlflowRunId: string | null;
  tensorboardDir: string | null;
}

export function readTrackingStatus(paths: RunPaths, recipe: Recipe): TrackingStatus | null {
  if (!recipe.tracking && !recipe.notify) return null;
  const tp = trackingPaths(paths, recipe);
  return {
    pending: pendingCounts(tp),
    mlflowRunId: loadMlflowRecord(tp.mlflow)?.runId ?? null,
    tensorboardDir: recipe.tracking?.tensorboard ? tp.tensorboard : null,
  };
}
