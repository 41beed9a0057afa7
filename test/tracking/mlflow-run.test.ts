import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { mlflowClient } from '../../src/tracking/mlflow/mlflow-client.ts';
import { ensureMlflowRun, readMlflowRecord, RUN_KEY_TAG, writeMlflowRecord } from '../../src/tracking/mlflow/ensure-mlflow-run.ts';
import { sendToMlflow } from '../../src/tracking/mlflow/send-to-mlflow.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { MLFLOW_URI, mlflowAvailable } from '../support/mlflow.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-mlflow-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const EXPERIMENT = `loop-ci-run-${process.pid}-${Date.now()}`;
const identity = { experiment: EXPERIMENT, runName: 'r', tags: { 'loop.run': 'r' }, startTime: Date.now() };
const parent = {
  pick: (r: { key: string; runId?: string }) => ({ key: r.key, runId: r.runId }),
  record: (r: { runId?: string }, id: string) => void (r.runId = id),
};

describeWith('the MLflow run of a loop run (a real MLflow server)', mlflowAvailable(), () => {
  const client = mlflowClient(MLFLOW_URI, {}, fetch);

  it('is found again by its key tag when a crash lost its id between runs/create and the record', async () => {
    const file = path.join(dir, 'lost.json');
    const first = await ensureMlflowRun(client, file, identity, parent.pick, parent.record);
    // The crash: the record keeps its key (written before the run was created) but not the id.
    const { key, experimentId } = readMlflowRecord(file);
    writeMlflowRecord(file, { key, experimentId });
    const again = await ensureMlflowRun(client, file, identity, parent.pick, parent.record);
    expect(again).toBe(first);
    const found = await client.post<{ runs: Array<{ info: { run_id: string } }> }>('runs/search', {
      experiment_ids: [experimentId],
      filter: `tags.\`${RUN_KEY_TAG}\` = '${key}'`,
    });
    expect(found.runs.map((r) => r.info.run_id)).toEqual([first]);
  });

  it('stores an iteration point sent twice (a crash between sending and marking it sent) once', async () => {
    const runId = await ensureMlflowRun(client, path.join(dir, 'twice.json'), identity, parent.pick, parent.record);
    const entry = {
      id: 'mlflow:iteration:3',
      sink: 'mlflow' as const,
      kind: 'iteration',
      at: '2026-12-04T07:00:00.000Z',
      data: { iteration: 3, metrics: { 'eval.accuracy': 0.75 }, tags: { 'loop.store.iter-3': '{}' } },
    };
    await sendToMlflow(client, runId, entry);
    await sendToMlflow(client, runId, entry);
    const history = await client.get<{ metrics: Array<{ step: string; value: number }> }>('metrics/get-history', {
      run_id: runId,
      metric_key: 'eval.accuracy',
    });
    expect(history.metrics.map((m) => [Number(m.step), m.value])).toEqual([[3, 0.75]]);
  });

  it('says which call failed and why, without credentials, when the server refuses', async () => {
    const secret = mlflowClient(MLFLOW_URI, { MLFLOW_TRACKING_TOKEN: 'tok-secret' }, fetch);
    const error = await secret.post('runs/log-batch', { run_id: 'no-such-run', metrics: [] }).catch((e: Error) => e);
    expect(String(error)).toMatch(/MLflow at http:\/\/127\.0\.0\.1:\d+: runs\/log-batch: RESOURCE_DOES_NOT_EXIST/);
    expect(String(error)).not.toContain('tok-secret');
    // A password inside MLFLOW_TRACKING_URI becomes basic auth and is never shown.
    const inUri = mlflowClient(MLFLOW_URI.replace('http://', 'http://me:pw-secret@'), {}, fetch);
    expect(inUri.uri).toBe(MLFLOW_URI);
    const refused = await inUri.post('runs/log-batch', { run_id: 'no-such-run', metrics: [] }).catch((e: Error) => e);
    expect(String(refused)).toMatch(/RESOURCE_DOES_NOT_EXIST/);
    expect(String(refused)).not.toContain('pw-secret');
  });
});
