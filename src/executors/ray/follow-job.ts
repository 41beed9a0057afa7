import { appendFileSync } from 'node:fs';
import type { StageExecution, StageJob } from '../executor.ts';
import { readAttemptExit } from '../common/attempt-files.ts';
import { notStarted } from '../common/to-stage-execution.ts';
import { sleep } from '../../time/sleep.ts';
import { nextInterval } from '../../time/backoff.ts';
import type { RayJobsClient } from './ray-client.ts';
import { rayJobOutcome } from './job-outcome.ts';
import { isActiveRayState } from './ray-states.ts';
import { streamLogs } from './stream-logs.ts';
import { inDoubt } from './in-doubt.ts';
import { deadlineOf, type StopReason } from '../common/stop-request.ts';

export interface RayFollowOptions {
  /** First and longest poll interval, in ms. */
  firstPollMs: number;
  maxPollMs: number;
  /** How long the dashboard may stay silent (a head restarting) before the run stops with the attempt in doubt. */
  unreachableGiveUpMs: number;
  now: () => Date;
}

// Follows one Ray job to its end with polls that back off: its log copied into the stage log at each poll, the job
// stopped (POST …/stop) when the stage is cancelled or passes its time limit, then waited for until Ray reports it
// ended. A job the cluster no longer knows (it restarted), as a dashboard that answers says, fails the attempt saying
// so; the retry policy submits a new job as the next attempt. A dashboard silent for longer than unreachableGiveUpMs
// proves nothing about the job, so it throws AttemptInDoubtError (never a failed attempt, whose retry would be a
// second job while the first may run): the run stops and `loop resume` re-attaches.
export async function followRayJob(
  client: RayJobsClient,
  id: string,
  job: StageJob,
  prefix: string,
  startedAt: string,
  options: RayFollowOptions,
): Promise<StageExecution> {
  let requested: StopReason | null = null;
  let stopAsked = false;
  const askStop = async () => {
    if (requested !== null && !stopAsked) stopAsked = await client.stop(id);
  };
  const onAbort = () => {
    if (requested === null) requested = 'cancel';
    void askStop();
  };
  job.signal?.addEventListener('abort', onAbort, { once: true });
  if (job.signal?.aborted) onAbort();
  const deadline = deadlineOf(startedAt, job.timeoutSeconds);
  let unreachableSince: number | undefined;
  let lastStatus = '';
  try {
    for (let wait = options.firstPollMs; ; wait = nextInterval(wait, { maxMs: options.maxPollMs })) {
      const info = await client.get(id);
      if (info === 'missing') {
        const why =
          `Ray job ${id} vanished: the cluster no longer knows it (restarted, or the job was deleted); ` +
          "the stage's retry policy submits it again as a new attempt, or `loop resume` does";
        appendFileSync(job.logFile, `=== loop: ${why}\n`);
        const now = options.now();
        if ((requested as string | null) === 'cancel')
          return notStarted({ error: 'canceled', canceled: true }, new Date(startedAt), now, now.getTime() - Date.parse(startedAt));
        return notStarted({ error: why }, new Date(startedAt), now, Math.max(0, now.getTime() - Date.parse(startedAt)));
      }
      if ('unreachable' in info || 'error' in info) {
        const now = options.now().getTime();
        if (unreachableSince === undefined) {
          unreachableSince = now;
          appendFileSync(job.logFile, `=== loop: ${'unreachable' in info ? info.unreachable : info.error}; trying again\n`);
        }
        if (now - unreachableSince >= options.unreachableGiveUpMs) {
          const what = 'unreachable' in info ? info.unreachable : info.error;
          const seconds = Math.round((now - unreachableSince) / 1000);
          appendFileSync(job.logFile, `=== loop: ${what} for ${seconds} s; Ray job ${id} may still run: stopping the run\n`);
          throw inDoubt(`${what} for ${seconds} s`, id);
        }
      } else {
        if (unreachableSince !== undefined) appendFileSync(job.logFile, `=== loop: the Ray dashboard answers again; following job ${id}\n`);
        unreachableSince = undefined;
        if (info.status === 'PENDING' && lastStatus !== 'PENDING') {
          // Say why it waits (resources, runtime_env setup): a job asking for more than the cluster has stays PENDING.
          appendFileSync(job.logFile, `=== loop: Ray job ${id} is PENDING: ${info.message.split('\n')[0]}\n`);
        }
        lastStatus = info.status;
        // Read after the status, so a job seen ended has its whole log copied.
        await streamLogs(client, id, prefix, job.logFile);
        if (!isActiveRayState(info.status)) {
          await job.remote?.pullAttemptFiles();
          return rayJobOutcome(info, { wrapperStatus: readAttemptExit(prefix), requested, startedAt, endedAt: options.now() });
        }
        if (options.now().getTime() >= deadline && requested === null) requested = 'timeout';
        await askStop();
      }
      await sleep(Math.min(wait, Math.max(50, deadline - options.now().getTime())), requested ? undefined : job.signal);
    }
  } finally {
    job.signal?.removeEventListener('abort', onAbort);
  }
}
