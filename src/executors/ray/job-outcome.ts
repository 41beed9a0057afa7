import type { StageExecution } from '../executor.ts';
import { decodeExitStatus } from '../common/attempt-files.ts';
import type { RayJobInfo } from './ray-client.ts';
import { endedJob, type OutcomeContext } from '../common/outcome-context.ts';

// Maps a Ray job that ended onto a stage outcome. SUCCEEDED and FAILED carry the stage's exit status (the wrapper's
// record, else Ray's driver exit code); a FAILED job that never ran the stage (runtime_env setup, the entrypoint's
// resources) says why with Ray's message; STOPPED is a cancellation or a time-out when loop asked, else a failure.
export function rayJobOutcome(info: RayJobInfo, ctx: OutcomeContext): StageExecution {
  const recorded = ctx.wrapperStatus === undefined ? undefined : decodeExitStatus(ctx.wrapperStatus);
  const exitCode = recorded ? recorded.exitCode : info.driverExitCode;
  const base = endedJob(ctx, exitCode, recorded?.signal ?? null);
  const job = `Ray job ${info.submissionId}`;
  const message = firstLine(info.message);
  switch (info.status) {
    case 'SUCCEEDED':
      return { ...base, ok: exitCode === 0 && ctx.requested === null };
    case 'FAILED':
      if (recorded) return base;
      return { ...base, error: `${job} failed${info.errorType ? ` (${info.errorType})` : ''}: ${message || 'Ray gave no reason'}` };
    case 'STOPPED':
      if (ctx.requested === 'timeout') return { ...base, timedOut: true };
      if (ctx.requested === 'cancel') return { ...base, canceled: true };
      return {
        ...base,
        error:
          `${job} was stopped outside loop (ray job stop, the dashboard, or a cluster shutdown)` +
          `${message ? `: ${message}` : ''}; resume the run to try again`,
      };
    default:
      return { ...base, error: `${job} ended in state ${info.status}${message ? `: ${message}` : ''}` };
  }
}

// Ray's messages carry the log tail after the first line ("…, last available logs: …"); the log file has it all.
function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/, last available logs.*$/, '').trim();
}
