import { existsSync, statSync } from 'node:fs';
import type { StageExecution } from '../executor.ts';
import { readAttemptExit } from '../common/attempt-files.ts';
import { jobOutcome } from './job-outcome.ts';
import type { StopReason } from '../common/stop-request.ts';

// The outcome of a job (or an array's task) Slurm no longer knows: purged after MinJobAge with accounting off, while
// the controller was away. Its wrapper's PREFIX.exit, written when the stage ended, is then the only record: the stage
// keeps the exit status it had. Without one, the stage was killed before it ended: canceled when loop asked for it,
// else a failure that says so (the retry policy decides on a new attempt).
export function forgottenJob(
  kind: 'job' | 'task',
  id: string,
  prefix: string,
  startedAt: string,
  requested: StopReason | null,
  now: Date,
): StageExecution {
  const status = readAttemptExit(prefix);
  const endedAt = status === undefined || !existsSync(`${prefix}.exit`) ? now : statSync(`${prefix}.exit`).mtime;
  const state = status === 0 ? 'COMPLETED' : 'FAILED';
  const info = { id, name: '', state, exitCode: status ?? 0, signal: 0, restarts: 0, reason: '' };
  const outcome = jobOutcome(info, { wrapperStatus: status, requested, startedAt, endedAt });
  if (status !== undefined) return outcome;
  if (requested === 'cancel') return { ...outcome, exitCode: null, canceled: true };
  return {
    ...outcome,
    exitCode: null,
    error: `Slurm no longer knows ${kind} ${id} and it left no exit status in ${prefix}.exit (killed before it ended?)`,
  };
}
