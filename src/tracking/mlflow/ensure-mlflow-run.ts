import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import { type MlflowClient, MlflowCallError } from './mlflow-client.ts';

// tracking/mlflow.json: which MLflow run this loop run logs into. The key is written before the run is created
// and travels with it as a tag, so a crash between `runs/create` and recording the id finds the run again by
// that tag instead of creating a second one.
export interface MlflowRecord {
  key: string;
  experimentId?: string;
  runId?: string;
  /** Child runs made for stages (MLFLOW_RUN_ID of the stage): `ITERATION/STAGE` → run id. */
  children?: Record<string, string>;
}

export const RUN_KEY_TAG = 'loop.run_key';

// The record as it is on disk, or undefined (no file yet, or not one of ours).
export function loadMlflowRecord(file: string): MlflowRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as MlflowRecord;
    return typeof record?.key === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

// The record, written first with a fresh key when there is none: the key exists on disk before any run does.
export function readMlflowRecord(file: string): MlflowRecord {
  const found = loadMlflowRecord(file);
  if (found) return found;
  const record: MlflowRecord = { key: randomUUID() };
  writeMlflowRecord(file, record);
  return record;
}

export function writeMlflowRecord(file: string, record: MlflowRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(record, null, 2));
}

export interface RunIdentity {
  experiment: string;
  runName: string;
  /** Tags set when the run is created (loop.run, loop.parent_run…). */
  tags: Record<string, string>;
  startTime: number;
}

// The MLflow run id for a key: the one recorded, else the one carrying the key's tag, else a new run, recorded
// before anything is logged into it.
export async function ensureMlflowRun(
  client: MlflowClient,
  file: string,
  identity: RunIdentity,
  pick: (record: MlflowRecord) => { key: string; runId?: string },
  record: (record: MlflowRecord, runId: string) => void,
): Promise<string> {
  const current = readMlflowRecord(file);
  const mine = pick(current);
  if (mine.runId) return mine.runId;
  const experimentId = current.experimentId ?? (await ensureExperiment(client, identity.experiment));
  if (current.experimentId !== experimentId) writeMlflowRecord(file, { ...current, experimentId });
  const found = await client.post<{ runs?: Array<{ info: { run_id: string } }> }>('runs/search', {
    experiment_ids: [experimentId],
    filter: `tags.\`${RUN_KEY_TAG}\` = '${mine.key}'`,
    max_results: 1,
  });
  let runId = found.runs?.[0]?.info.run_id;
  if (!runId) {
    const created = await client.post<{ run: { info: { run_id: string } } }>('runs/create', {
      experiment_id: experimentId,
      run_name: identity.runName,
      start_time: identity.startTime,
      tags: Object.entries({ ...identity.tags, [RUN_KEY_TAG]: mine.key }).map(([key, value]) => ({ key, value })),
    });
    runId = created.run.info.run_id;
  }
  const latest = readMlflowRecord(file);
  record(latest, runId);
  writeMlflowRecord(file, { ...latest, experimentId });
  return runId;
}

// The experiment's id, creating it when it does not exist (another process creating it at once is fine).
async function ensureExperiment(client: MlflowClient, name: string): Promise<string> {
  try {
    const found = await client.get<{ experiment: { experiment_id: string } }>('experiments/get-by-name', { experiment_name: name });
    return found.experiment.experiment_id;
  } catch (error) {
    if (!(error instanceof MlflowCallError) || error.errorCode !== 'RESOURCE_DOES_NOT_EXIST') throw error;
  }
  try {
    return (await client.post<{ experiment_id: string }>('experiments/create', { name })).experiment_id;
  } catch (error) {
    if (!(error instanceof MlflowCallError) || error.errorCode !== 'RESOURCE_ALREADY_EXISTS') throw error;
    const found = await client.get<{ experiment: { experiment_id: string } }>('experiments/get-by-name', { experiment_name: name });
    return found.experiment.experiment_id;
  }
}
