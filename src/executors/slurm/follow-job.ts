import { appendFileSync } from 'node:fs';
import type { StageExecution, StageJob } from '../executor.ts';
import { readAttemptExit } from '../common/attempt-files.ts';
import { sleep } from '../../time/sleep.ts';
import { nextInterval } from '../../time/backoff.ts';
import { jobOutcome } from './job-outcome.ts';
import { forgottenJob } from './forgotten-job.ts';
import type { SlurmClient } from './slurm-client.ts';
import { isActiveState } from './slurm-states.ts';
import { deadlineOf, stopRequests } from '../common/stop-request.ts';

export interface FollowOptions {
  /** First and longest poll interval, in ms. */
  firstPollMs: number;
  maxPollMs: number;
  now: () => Date;
}

// Follows one submitted job to its end with polls that back off (never `sbatch --wait`): cancels it with scancel
// when the stage is cancelled or passes its time limit, notes requeues in the log (the same job runs again, it is
// not resubmitted), and maps the final state onto the stage's outcome.
export async function followJob(
  client: SlurmClient,
  id: string,
  job: StageJob,
  prefix: string,
  startedAt: string,
  options: FollowOptions,
): Promise<StageExecution> {
  const stops = stopRequests(job.signal, () => void client.cancel(id));
  const deadline = deadlineOf(startedAt, job.timeoutSeconds);
  let restarts = 0;
  try {
    for (let wait = options.firstPollMs; ; wait = nextInterval(wait, { maxMs: options.maxPollMs })) {
      const info = await client.query(id);
      if (info === undefined) await job.remote?.pullAttemptFiles();
      if (info === undefined) return forgottenJob('job', id, prefix, startedAt, stops.why, options.now());
      if (info.restarts > restarts) {
        restarts = info.restarts;
        appendFileSync(job.logFile, `=== loop: Slurm requeued job ${id} (restart ${restarts}); following it\n`);
        wait = options.firstPollMs;
      }
      if (!isActiveState(info.state)) {
        await job.remote?.pullAttemptFiles();
        return jobOutcome(info, { wrapperStatus: readAttemptExit(prefix), requested: stops.why, startedAt, endedAt: options.now() });
      }
      if (options.now().getTime() >= deadline) stops.request('timeout');
      await sleep(Math.min(wait, Math.max(50, deadline - options.now().getTime())), stops.why ? undefined : job.signal);
    }
  } finally {
    stops.dispose();
  }
}
