import path from 'node:path';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { Recipe } from '../recipe/types.ts';

// Where tracking keeps its state in the run directory (docs/run-directory.md): the outbox of points and messages,
// the ids already sent, the MLflow run it logs into.
export interface TrackingPaths {
  dir: string;
  /** outbox.jsonl: every point and message to send, one JSON line each, appended once per id. */
  outbox: string;
  /** sent.jsonl: the ids of the outbox's entries that were delivered, appended after each delivery. */
  sent: string;
  /** mlflow.json: the MLflow run's key (written before the run is created) and id (once it is). */
  mlflow: string;
  /** The TensorBoard event files' folder. */
  tensorboard: string;
}

export function trackingPaths(paths: RunPaths, recipe?: Recipe): TrackingPaths {
  const dir = path.join(paths.root, 'tracking');
  return {
    dir,
    outbox: path.join(dir, 'outbox.jsonl'),
    sent: path.join(dir, 'sent.jsonl'),
    mlflow: path.join(dir, 'mlflow.json'),
    tensorboard: recipe?.tracking?.tensorboard?.dir ?? path.join(paths.root, 'tensorboard'),
  };
}
