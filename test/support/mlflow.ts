import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

// The MLflow server .ci/setup/mlflow.sh starts (LOOP_CI_MLFLOW_PORT, default 5055), and the Python of its venv,
// which has the `mlflow` client and `tensorboard` (EventAccumulator) to read back what loop wrote.
export const MLFLOW_URI = `http://127.0.0.1:${process.env.LOOP_CI_MLFLOW_PORT ?? '5055'}`;
export const MLFLOW_PYTHON = path.join(process.env.LOOP_CI_MLFLOW_VENV ?? '/opt/loop-mlflow', 'bin', 'python');

// Whether the server answers and the venv's Python is there, or why not (checked once, for describeWith).
export function mlflowAvailable(): true | string {
  if (!existsSync(MLFLOW_PYTHON)) return `no ${MLFLOW_PYTHON}; run .ci/setup/mlflow.sh start`;
  const url = JSON.stringify(`${MLFLOW_URI}/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default`);
  const probe = `fetch(${url}).then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))`;
  const result = spawnSync(process.execPath, ['-e', probe], { timeout: 20_000 });
  return result.status === 0 ? true : `no MLflow server answers at ${MLFLOW_URI}; run .ci/setup/mlflow.sh start`;
}

export interface ReadBack {
  /** Runs carrying the tag loop.run = NAME that are not stage child runs. */
  runs: Array<{ id: string; status: string; name: string; params: Record<string, string>; tags: Record<string, string> }>;
  /** Per metric of the first such run, its history as [step, value, timestamp]. */
  history: Record<string, Array<[number, number, number]>>;
  /** Stage child runs: their status and parent. */
  children: Array<{ status: string; parent: string; stage: string; metrics: Record<string, number> }>;
  /** From TensorBoard's EventAccumulator over the event folder: per tag, [step, value]; and the event files. */
  tensorboard: { files: string[]; scalars: Record<string, Array<[number, number]>> } | null;
}

// Reads a loop run back with MLflow's own Python client and TensorBoard's EventAccumulator (test/tracking/read-back.py).
export function readBack(experiment: string, run: string, tensorboardDir?: string): ReadBack {
  const script = path.resolve('test/tracking/read-back.py');
  const result = spawnSync(MLFLOW_PYTHON, [script, MLFLOW_URI, experiment, run, tensorboardDir ?? ''], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`read-back.py failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ReadBack;
}
