import { statSync } from 'node:fs';
import { sleep } from '../../time/sleep.ts';
import { nextInterval } from '../../time/backoff.ts';
import type { StageExecution, StageJob } from '../executor.ts';
import { decodeExitStatus, readAttemptExit, readAttemptPid, UNRECORDED_EXIT } from '../common/attempt-files.ts';
import { findRunningAttempt, isAttemptRunning } from './attempt-liveness.ts';
import { killProcessGroup } from './kill-process-group.ts';
import { createGroupTerminator } from './terminate-process-group.ts';
import { DEFAULT_GRACE_SECONDS } from '../common/termination.ts';
import { deadlineOf } from '../common/stop-request.ts';

// After a controller restart: collects an attempt that ended meanwhile, or follows one still running until it ends.
// Undefined when there is nothing to collect (never started, or died without a trace, e.g. a reboot).
export async function reattachLocal(
  job: StageJob,
  startedAt: string,
  killGroup: typeof killProcessGroup = killProcessGroup,
): Promise<StageExecution | undefined> {
  const prefix = job.controlPrefix;
  if (!prefix) return undefined;
  const ended = collect(prefix, readAttemptPid(prefix) ?? null, startedAt);
  if (ended) return ended;
  const running = findRunningAttempt(prefix);
  if (running === undefined) return undefined;
  const pid = running.pid;

  const terminator = createGroupTerminator(pid, (job.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000, killGroup);
  const onAbort = () => terminator.terminate('cancel');
  job.signal?.addEventListener('abort', onAbort, { once: true });
  if (job.signal?.aborted) onAbort();
  const deadline = deadlineOf(startedAt, job.timeoutSeconds);
  try {
    for (let wait = 50; isAttemptRunning(prefix, running); wait = nextInterval(wait, { maxMs: 1000 })) {
      if (Date.now() >= deadline) terminator.terminate('timeout');
      await sleep(wait);
    }
    await terminator.finish();
  } finally {
    job.signal?.removeEventListener('abort', onAbort);
  }
  const execution = collect(prefix, pid, startedAt) ?? {
    ok: false,
    exitCode: null,
    signal: terminator.reason ? 'SIGTERM' : null,
    timedOut: false,
    canceled: false,
    durationMs: Date.now() - Date.parse(startedAt),
    pid,
    startedAt,
    endedAt: new Date().toISOString(),
    error: UNRECORDED_EXIT,
  };
  return {
    ...execution,
    ok: execution.ok && terminator.reason === null,
    timedOut: terminator.reason === 'timeout',
    canceled: terminator.reason === 'cancel',
  };
}

// The outcome recorded in PREFIX.exit, timed by the file's modification time.
function collect(prefix: string, pid: number | null, startedAt: string): StageExecution | undefined {
  const status = readAttemptExit(prefix);
  if (status === undefined) return undefined;
  const { exitCode, signal } = decodeExitStatus(status);
  const endedAt = statSync(`${prefix}.exit`).mtime;
  return {
    ok: exitCode === 0,
    exitCode,
    signal,
    timedOut: false,
    canceled: false,
    durationMs: Math.max(0, endedAt.getTime() - Date.parse(startedAt)),
    pid,
    startedAt,
    endedAt: endedAt.toISOString(),
  };
}
