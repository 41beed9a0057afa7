import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ShardJob, ShardRunOptions, StageExecution, StageJob } from '../executor.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';
import { readAttemptExit } from '../common/attempt-files.ts';
import { notStarted } from '../common/to-stage-execution.ts';
import { sleep } from '../../time/sleep.ts';
import { nextInterval } from '../../time/backoff.ts';
import { arrayBatchScript } from './array-script.ts';
import type { SlurmArrayClient } from './array-client.ts';
import type { FollowOptions } from './follow-job.ts';
import { jobOutcome } from './job-outcome.ts';
import { forgottenJob } from './forgotten-job.ts';
import { noteSubmitting, recordedJob, recordJobId } from './job-id-file.ts';
import { isActiveState } from './slurm-states.ts';
import { deadlineOf, stopRequests } from '../common/stop-request.ts';

type SlurmSpec = Extract<ExecutorSpec, { kind: 'slurm' }>;

// The shards of one attempt as ONE job array (`sbatch --array=…`, only the shards still to run): its script kept as
// PREFIX.sbatch, "submitting" then its id in PREFIX.jobid, a live array of the attempt's name adopted instead of
// submitted twice; after a controller restart the recorded id (or, when it died during sbatch, the newest array of
// that name not recorded before) is followed again. Returns each shard's outcome, in `shards` order.
export async function runSlurmArray(
  array: StageJob,
  shards: ShardJob[],
  spec: SlurmSpec,
  client: SlurmArrayClient,
  options: FollowOptions,
  run: ShardRunOptions,
): Promise<StageExecution[]> {
  const prefix = array.controlPrefix;
  const name = array.jobName;
  if (!prefix || !name || shards.some((s) => !s.controlPrefix)) {
    throw new TypeError('a Slurm job array needs controlPrefix and jobName, and a controlPrefix per shard');
  }
  const startedAt = run.resumeFrom ?? options.now().toISOString();
  let id: string | undefined;
  if (run.resumeFrom !== undefined) {
    id = await recordedJob(prefix, () => client.findByName(name));
    if (id !== undefined) appendFileSync(array.logFile, `=== loop: following Slurm job array ${id} (${name}) again\n`);
  }
  if (id === undefined) {
    const begin = options.now();
    if (array.signal?.aborted)
      return shards.map(() => notStarted({ error: 'canceled before start', canceled: true }, begin, options.now(), 0));
    const script = arrayBatchScript(array, shards, spec, name, run.parallel);
    mkdirSync(dirname(prefix), { recursive: true });
    for (const shard of shards) {
      run.prepare?.(shard);
      mkdirSync(dirname(shard.logFile), { recursive: true });
    }
    writeFileSync(`${prefix}.sbatch`, script);
    noteSubmitting(prefix);
    id = (await client.findByName(name)).filter((found) => found.active).at(-1)?.id;
    if (id === undefined) {
      const submitted = await client.submit(script);
      if ('error' in submitted) return shards.map(() => notStarted({ error: submitted.error }, begin, options.now(), 0));
      id = submitted.id;
      appendFileSync(
        array.logFile,
        `=== loop: submitted Slurm job array ${id} (${name}), shards ${shards.map((s) => s.shard).join(', ')}\n`,
      );
    } else {
      appendFileSync(array.logFile, `=== loop: found Slurm job array ${id} (${name}) already submitted; following it\n`);
    }
    recordJobId(prefix, id);
  }
  return followArray(client, id, array, shards, startedAt, options);
}

// Polls the array's tasks with backoff until none of the wanted shards may still run; scancel (every task) on
// cancellation or past the time limit; a requeued task is noted in its shard log and followed, not resubmitted.
async function followArray(
  client: SlurmArrayClient,
  id: string,
  array: StageJob,
  shards: ShardJob[],
  startedAt: string,
  options: FollowOptions,
): Promise<StageExecution[]> {
  const stops = stopRequests(array.signal, () => void client.cancel(id));
  const deadline = deadlineOf(startedAt, array.timeoutSeconds);
  const restarts = new Map<number, number>();
  const ended = new Map<number, StageExecution>();
  try {
    for (let wait = options.firstPollMs; ; wait = nextInterval(wait, { maxMs: options.maxPollMs })) {
      const tasks = await client.queryTasks(id);
      for (const shard of shards) {
        if (ended.has(shard.shard)) continue;
        const info = tasks.get(shard.shard);
        if (info === undefined) {
          // Slurm forgot the task (purged) or never listed it: the shard's wrapper files are the record.
          if (tasks.size === 0 || readAttemptExit(shard.controlPrefix!) !== undefined) {
            ended.set(shard.shard, forgottenJob('task', `${id}_${shard.shard}`, shard.controlPrefix!, startedAt, stops.why, options.now()));
          }
          continue;
        }
        if (info.restarts > (restarts.get(shard.shard) ?? 0)) {
          restarts.set(shard.shard, info.restarts);
          appendFileSync(shard.logFile, `=== loop: Slurm requeued task ${info.id} (restart ${info.restarts}); following it\n`);
          wait = options.firstPollMs;
        }
        if (!isActiveState(info.state)) {
          ended.set(
            shard.shard,
            jobOutcome(info, {
              wrapperStatus: readAttemptExit(shard.controlPrefix!),
              requested: stops.why,
              startedAt,
              endedAt: options.now(),
            }),
          );
        }
      }
      if (ended.size === shards.length) return shards.map((shard) => ended.get(shard.shard)!);
      if (options.now().getTime() >= deadline) stops.request('timeout');
      await sleep(Math.min(wait, Math.max(50, deadline - options.now().getTime())), stops.why ? undefined : array.signal);
    }
  } finally {
    stops.dispose();
  }
}
