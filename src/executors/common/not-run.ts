import { AttemptInDoubtError } from '../attempt-in-doubt-error.ts';
import type { StageExecution } from '../executor.ts';

// An attempt (or shard) the executor could not even make (a bug, an I/O error) is a failed run, never one left
// "running"; except one whose fate the executor cannot tell (it may still run): that error goes through, so the
// stage stays "running" for `loop resume` and is never started twice (see attempt-in-doubt-error.ts).
export function notRun(error: unknown, what: 'stage' | 'shard', startedAt: string, endedAt: string): StageExecution {
  if (error instanceof AttemptInDoubtError) throw error;
  return {
    ok: false,
    exitCode: null,
    signal: null,
    timedOut: false,
    canceled: false,
    durationMs: 0,
    pid: null,
    startedAt,
    endedAt,
    error: `could not run the ${what}: ${(error as Error).message}`,
  };
}
