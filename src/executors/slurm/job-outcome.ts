import { constants } from 'node:os';
import type { StageExecution } from '../executor.ts';
import { decodeExitStatus } from '../common/attempt-files.ts';
import type { SlurmJobInfo } from './parse-scontrol.ts';
import { RETRYABLE_STATES } from './slurm-states.ts';
import { endedJob, type OutcomeContext } from '../common/outcome-context.ts';

// Maps the final state of a Slurm job onto a stage outcome: COMPLETED and FAILED carry the stage's exit status;
// CANCELLED is a cancellation when loop asked for it; TIMEOUT is a time-out; OUT_OF_MEMORY, NODE_FAIL, PREEMPTED
// and the rest are failures whose message says what happened (the retry policy then decides on a new attempt).
export function jobOutcome(info: SlurmJobInfo, ctx: OutcomeContext): StageExecution {
  const recorded = ctx.wrapperStatus === undefined ? undefined : decodeExitStatus(ctx.wrapperStatus);
  const exitCode = recorded ? recorded.exitCode : info.signal ? null : info.exitCode;
  const signal = recorded ? recorded.signal : info.signal ? signalName(info.signal) : null;
  const base = endedJob(ctx, exitCode, signal);
  const job = `Slurm job ${info.id}`;
  switch (info.state) {
    case 'COMPLETED':
      return { ...base, ok: exitCode === 0 && ctx.requested === null };
    case 'FAILED':
      return base.exitCode === null && base.signal === null ? { ...base, error: `${job} failed (${info.reason})` } : base;
    case 'CANCELLED':
      if (ctx.requested === 'timeout') return { ...base, timedOut: true };
      if (ctx.requested === 'cancel') return { ...base, canceled: true };
      return { ...base, error: `${job} was cancelled outside loop (scancel or an administrator); resume the run to try again` };
    case 'TIMEOUT':
    case 'DEADLINE':
      return { ...base, timedOut: true };
    case 'OUT_OF_MEMORY':
      return { ...base, error: `${job} ran out of memory (OUT_OF_MEMORY); raise the stage's resources.memory or executor.memory` };
    default: {
      const what = RETRYABLE_STATES[info.state] ?? `it ended in state ${info.state}`;
      return { ...base, error: `${job} did not finish: ${what}; the stage's retry policy (retry.attempts) decides on a new attempt` };
    }
  }
}

// SIGKILL for 9, as Node names signals elsewhere in a stage outcome.
function signalName(signal: number): string {
  return Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] ?? `signal ${signal}`;
}
