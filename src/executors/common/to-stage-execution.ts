import type { StageExecution } from '../executor.ts';
import { describeSpawnError } from './describe-spawn-error.ts';
import type { TerminationReason } from './termination.ts';

// The fields of execa's result (success or failure alike, thanks to `reject: false`) that a stage outcome needs.
export interface ProcessResult {
  exitCode?: number | undefined;
  signal?: string | undefined;
  failed: boolean;
  code?: string | undefined;
  originalMessage?: string | undefined;
  message?: string | undefined;
}

export interface Timing {
  pid: number | undefined;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
}

// Maps execa's result and our own termination bookkeeping to the one StageExecution shape.
export function toStageExecution(program: string, result: ProcessResult, reason: TerminationReason | null, timing: Timing): StageExecution {
  const exitCode = result.exitCode ?? null;
  const signal = result.signal ?? null;
  const execution: StageExecution = {
    ok: exitCode === 0 && reason === null,
    exitCode,
    signal,
    timedOut: reason === 'timeout',
    canceled: reason === 'cancel',
    durationMs: timing.durationMs,
    pid: timing.pid ?? null,
    startedAt: timing.startedAt.toISOString(),
    endedAt: timing.endedAt.toISOString(),
  };

  // No exit code and no signal: the process never ran (ENOENT, EACCES, ...).
  if (result.failed && exitCode === null && signal === null) {
    execution.error = describeSpawnError(program, result.code, result.originalMessage ?? result.message ?? '');
  }

  return execution;
}

// An outcome for a job that never reached the point of spawning (bad cwd, log file, already aborted).
export function notStarted(
  reason: { error: string; canceled?: boolean },
  startedAt: Date,
  endedAt: Date,
  durationMs: number,
): StageExecution {
  return {
    ok: false,
    exitCode: null,
    signal: null,
    timedOut: false,
    canceled: reason.canceled ?? false,
    durationMs,
    pid: null,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    error: reason.error,
  };
}
