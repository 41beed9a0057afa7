import { closeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { execa, type StdoutStderrOption } from 'execa';
import type { Executor, StageExecution, StageJob } from '../executor.ts';
import { checkWorkingDirectory } from './check-working-directory.ts';
import { killProcessGroup } from './kill-process-group.ts';
import { openLogFile } from './open-log-file.ts';
import { createGroupTerminator } from './terminate-process-group.ts';
import { notStarted, toStageExecution } from './to-stage-execution.ts';
import { validateJob } from './validate-job.ts';

const DEFAULT_GRACE_SECONDS = 10;

// What the local executor needs from the outside world, injectable so tests can swap the process runner or clock.
export interface LocalExecutorDeps {
  spawn?: typeof execa;
  now?: () => Date;
  killGroup?: typeof killProcessGroup;
}

// Runs stages as child processes of this machine; failures of the stage come back as data, never as exceptions.
export function createLocalExecutor(deps: LocalExecutorDeps = {}): Executor {
  const spawn = deps.spawn ?? execa;
  const now = deps.now ?? (() => new Date());
  const killGroup = deps.killGroup ?? killProcessGroup;

  return {
    kind: 'local',
    run: (job) => runLocal(job, spawn, now, killGroup),
  };
}

// One stage run: spawn in its own process group, log to the file, enforce timeout and cancellation, report data.
async function runLocal(
  job: StageJob,
  spawn: typeof execa,
  now: () => Date,
  killGroup: typeof killProcessGroup,
): Promise<StageExecution> {
  validateJob(job);
  const startedAt = now();
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  const program = job.argv[0] as string;

  const refusal = job.signal?.aborted
    ? { error: 'canceled before start', canceled: true }
    : refuseToStart(job);
  if (refusal !== undefined) {
    return notStarted(refusal, startedAt, now(), elapsed());
  }

  let logFd: number;
  try {
    logFd = openLogFile(job.logFile);
  } catch (error) {
    return notStarted({ error: `cannot open log file ${job.logFile}: ${(error as Error).message}` }, startedAt, now(), elapsed());
  }

  try {
    const subprocess = spawn(program, job.argv.slice(1), {
      cwd: job.cwd,
      env: job.env,
      extendEnv: true,
      detached: true,
      stdin: 'ignore',
      stdout: asOutputFd(logFd),
      stderr: asOutputFd(logFd),
      reject: false,
    });
    const pid = subprocess.pid;
    const graceMs = (job.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
    const terminator = createGroupTerminator(pid, graceMs, killGroup);

    const onAbort = () => terminator.terminate('cancel');
    job.signal?.addEventListener('abort', onAbort, { once: true });
    const timeout =
      job.timeoutSeconds === undefined
        ? undefined
        : setTimeout(() => terminator.terminate('timeout'), job.timeoutSeconds * 1000);

    try {
      const result = await subprocess;
      await terminator.finish();
      return toStageExecution(program, result, terminator.reason, {
        pid,
        startedAt,
        endedAt: now(),
        durationMs: elapsed(),
      });
    } finally {
      clearTimeout(timeout);
      job.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    closeSync(logFd);
  }
}

// execa's types spell descriptors as the literals 3..9, yet at run time it hands any open descriptor to spawn() as is.
function asOutputFd(fd: number): StdoutStderrOption {
  return fd as StdoutStderrOption;
}

// Problems found before spawning that Node would otherwise misreport.
function refuseToStart(job: StageJob): { error: string } | undefined {
  const error = checkWorkingDirectory(job.cwd);
  return error === undefined ? undefined : { error };
}
