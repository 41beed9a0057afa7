import type { StopReason } from './stop-request.ts';
import type { StageExecution } from '../executor.ts';

// What a remote backend (Slurm, Ray) knows besides the scheduler's own record when it turns a finished job into a
// stage outcome.
export interface OutcomeContext {
  /** The stage's exit status as the wrapper recorded it in PREFIX.exit, when it did. */
  wrapperStatus: number | undefined;
  /** Why loop itself stopped or cancelled the job, if it did. */
  requested: StopReason | null;
  startedAt: string;
  endedAt: Date;
}

// A job that ended, as a stage outcome not yet judged (ok false, no time-out, no cancellation): its exit status and
// the wall time between ctx's start and end. Each backend's mapping of its final states starts from it.
export function endedJob(ctx: OutcomeContext, exitCode: number | null, signal: string | null): StageExecution {
  return {
    ok: false,
    exitCode,
    signal,
    timedOut: false,
    canceled: false,
    durationMs: Math.max(0, ctx.endedAt.getTime() - Date.parse(ctx.startedAt)),
    pid: null,
    startedAt: ctx.startedAt,
    endedAt: ctx.endedAt.toISOString(),
  };
}
