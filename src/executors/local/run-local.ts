import { closeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Executor, StageExecution, StageJob } from '../executor.ts';
import { checkWorkingDirectory } from './check-working-directory.ts';
import { killProcessGroup } from './kill-process-group.ts';
import { openLogFile } from './open-log-file.ts';
import { createGroupTerminator } from './terminate-process-group.ts';
import { DEFAULT_GRACE_SECONDS } from '../common/termination.ts';
import { notStarted, toStageExecution } from '../common/to-stage-execution.ts';
import { validateJob } from '../common/validate-job.ts';
import { findProgram } from '../common/find-program.ts';
import { decodeExitStatus, readAttemptExit, UNRECORDED_EXIT } from '../common/attempt-files.ts';
import { reattachLocal } from './reattach-local.ts';
import { spawnStageProcess, type StageProcess } from './spawn-stage-process.ts';
import { createStageLauncher, type StageLauncher } from './stage-launcher.ts';
import { findRunningAttempt } from './attempt-liveness.ts';
import { wrapperCommand } from './wrapper-command.ts';

// What the local executor needs from the outside world, injectable so tests can swap the process runner or clock.
export interface LocalExecutorDeps {
  spawn?: typeof spawnStageProcess;
  now?: () => Date;
  killGroup?: typeof killProcessGroup;
  /** Starts wrapped attempts from a small separate process (cheaper to fork from); null spawns them here. */
  launcher?: StageLauncher | null;
}

// One launcher per controller process, shared by every local executor (so by every run) it drives.
let sharedLauncher: StageLauncher | undefined;

// Runs stages as child processes of this machine; failures of the stage come back as data, never as exceptions.
export function createLocalExecutor(deps: LocalExecutorDeps = {}): Executor {
  const spawn = deps.spawn ?? spawnStageProcess;
  const now = deps.now ?? (() => new Date());
  const killGroup = deps.killGroup ?? killProcessGroup;
  const launcher = deps.launcher !== undefined ? deps.launcher : deps.spawn ? null : (sharedLauncher ??= createStageLauncher());

  return {
    kind: 'local',
    sharesControllerHost: true,
    run: (job) => runLocal(job, spawn, now, killGroup, launcher),
    reattach: (job, startedAt) => reattachLocal(job, startedAt, killGroup),
  };
}

// One stage run: spawn in its own process group, log to the file, enforce timeout and cancellation, report data.
async function runLocal(
  job: StageJob,
  spawn: typeof spawnStageProcess,
  now: () => Date,
  killGroup: typeof killProcessGroup,
  launcher: StageLauncher | null,
): Promise<StageExecution> {
  validateJob(job);
  const startedAt = now();
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  const program = job.argv[0] as string;

  const refusal = job.signal?.aborted ? { error: 'canceled before start', canceled: true } : refuseToStart(job);
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
    // With a control prefix the stage's end must be recorded where a restarted controller finds it: the launcher
    // starts the stage itself and records it (stage-launcher.mjs); without a launcher the stage runs under the
    // wrapper (Perl's or the shell's), which outlives a controller crash and records how the stage ended.
    const prefix = job.controlPrefix;
    const launched: StageProcess | undefined =
      prefix && launcher
        ? await launcher.start({
            file: program,
            args: job.argv.slice(1),
            cwd: job.cwd,
            env: job.env,
            logFile: job.logFile,
            prefix,
            isAlive: () => findRunningAttempt(prefix) !== undefined,
          })
        : undefined;
    // A launcher that died while starting this attempt may have started it after all: follow it, never start twice.
    if (prefix && launcher && !launched && (readAttemptExit(prefix) !== undefined || findRunningAttempt(prefix) !== undefined)) {
      const followed = await reattachLocal(job, startedAt.toISOString(), killGroup);
      if (followed) return followed;
    }
    const [file, args] = prefix ? wrapperCommand(prefix, job.argv, job.env.PATH ?? process.env.PATH) : [program, job.argv.slice(1)];
    const subprocess = launched ?? spawn(file, args, { cwd: job.cwd, env: job.env, logFd });
    const pid = subprocess.pid;
    const graceMs = (job.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
    const terminator = createGroupTerminator(pid, graceMs, killGroup);

    const onAbort = () => terminator.terminate('cancel');
    job.signal?.addEventListener('abort', onAbort, { once: true });
    // Cancelled while the launcher was starting it: the listener came too late to hear it.
    if (job.signal?.aborted) onAbort();
    const timeout =
      job.timeoutSeconds === undefined ? undefined : setTimeout(() => terminator.terminate('timeout'), job.timeoutSeconds * 1000);

    try {
      const result = await subprocess.result;
      await terminator.finish();
      const recorded = prefix ? readAttemptExit(prefix) : undefined;
      const outcome = recorded === undefined ? result : { ...result, ...definedOnly(decodeExitStatus(recorded)) };
      const execution = toStageExecution(program, outcome, terminator.reason, {
        pid,
        startedAt,
        endedAt: now(),
        durationMs: elapsed(),
      });
      // Started, then neither an exit status nor a signal: the launcher that records it died while it ran.
      const unrecorded = pid !== undefined && outcome.exitCode === undefined && outcome.signal === undefined;
      return unrecorded ? { ...execution, error: UNRECORDED_EXIT } : execution;
    } finally {
      clearTimeout(timeout);
      job.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    closeSync(logFd);
  }
}

// Problems found before spawning that Node would otherwise misreport (or, behind the wrapper, not see at all).
function refuseToStart(job: StageJob): { error: string } | undefined {
  const error = checkWorkingDirectory(job.cwd);
  if (error !== undefined) return { error };
  if (!job.controlPrefix) return undefined;
  const found = findProgram(job.argv[0] as string, job.cwd, job.env.PATH ?? process.env.PATH);
  return found.error === undefined ? undefined : { error: found.error };
}

// The wrapper's recorded status in execa's result shape (null becomes undefined).
function definedOnly(status: { exitCode: number | null; signal: string | null }): { exitCode?: number; signal?: string } {
  return { exitCode: status.exitCode ?? undefined, signal: status.signal ?? undefined };
}
