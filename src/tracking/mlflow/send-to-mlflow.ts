import type { OutboxEntry } from '../outbox.ts';
import type { MlflowClient } from './mlflow-client.ts';

// MLflow's limits per runs/log-batch call.
const MAX_METRICS = 1000;
const MAX_PARAMS = 100;
const MAX_TAGS = 100;

// Sends one outbox entry into the run. Every call is idempotent: a metric point carries the entry's fixed
// timestamp, so a resend after a crash is the identical point, which MLflow stores once; params are logged once
// with the same values; tags and the status are set, not added.
export async function sendToMlflow(client: MlflowClient, runId: string, entry: OutboxEntry): Promise<void> {
  const timestamp = Date.parse(entry.at);
  switch (entry.kind) {
    case 'params': {
      const params = Object.entries(entry.data.params as Record<string, string>).map(([key, value]) => ({
        key,
        value: value.slice(0, 6000),
      }));
      for (let i = 0; i < params.length; i += MAX_PARAMS) {
        await client.post('runs/log-batch', { run_id: runId, params: params.slice(i, i + MAX_PARAMS) });
      }
      return;
    }
    case 'iteration': {
      const step = entry.data.iteration as number;
      const metrics = Object.entries(entry.data.metrics as Record<string, number>)
        .filter(([, value]) => typeof value === 'number' && Number.isFinite(value))
        .map(([key, value]) => ({ key, value, timestamp, step }));
      const tags = Object.entries((entry.data.tags ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value }));
      for (let i = 0; i < metrics.length; i += MAX_METRICS) {
        await client.post('runs/log-batch', { run_id: runId, metrics: metrics.slice(i, i + MAX_METRICS) });
      }
      for (let i = 0; i < tags.length; i += MAX_TAGS)
        await client.post('runs/log-batch', { run_id: runId, tags: tags.slice(i, i + MAX_TAGS) });
      return;
    }
    case 'status': {
      const status = entry.data.status as string;
      const stopReason = entry.data.stopReason as string | null;
      if (stopReason) await client.post('runs/set-tag', { run_id: runId, key: 'loop.stop_reason', value: stopReason });
      await client.post('runs/update', {
        run_id: runId,
        status,
        ...(status === 'RUNNING' ? {} : { end_time: Date.parse(entry.data.endTime as string) }),
      });
      return;
    }
    case 'stage-run':
      await client.post('runs/update', {
        run_id: entry.data.runId as string,
        status: entry.data.status as string,
        end_time: Date.parse(entry.data.endTime as string),
      });
      return;
    default:
      return;
  }
}
