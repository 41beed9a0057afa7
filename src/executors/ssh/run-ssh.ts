import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Executor, StageExecution, StageJob } from '../executor.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';
import { decodeExitStatus } from '../common/attempt-files.ts';
import { notStarted } from '../common/to-stage-execution.ts';
import { validateJob } from '../common/validate-job.ts';
import { DEFAULT_GRACE_SECONDS } from '../common/termination.ts';
import { runCommand, type CommandRunner } from '../common/command-runner.ts';
import { sleep } from '../../time/sleep.ts';
import { backoffDelay } from '../../time/backoff.ts';
import { sshArgs, type SshTarget } from '../common/ssh-args.ts';
import { killCommand, launchCommand, waitCommand } from './remote-commands.ts';
import { forwardedSecrets } from '../common/forwarded-secrets.ts';
import { deadlineOf, stopRequests, type StopReason } from '../common/stop-request.ts';

type SshSpec = Extract<ExecutorSpec, { kind: 'ssh' }>;

// What the SSH executor needs from outside, injectable for tests.
export interface SshExecutorDeps {
  runner?: CommandRunner;
  now?: () => Date;
  /** Where the forwarded secrets (HF_TOKEN, WANDB_API_KEY, …) are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

// Runs each stage attempt on a host reached with the system ssh, detached behind the stage wrapper, so a restarted
// controller re-attaches; assumes the host sees the run folder at the same path (a shared filesystem).
export function createSshExecutor(deps: SshExecutorDeps = {}): Executor {
  const runner = deps.runner ?? runCommand;
  const now = deps.now ?? (() => new Date());
  const env = deps.env ?? process.env;
  return {
    kind: 'ssh',
    run: (job) => runSsh(job, runner, now, forwardedSecrets(env)),
    reattach: (job, startedAt) => follow(job, runner, now, startedAt, null, true),
  };
}

// One attempt: start it detached on the host and wait for its end in the same ssh call.
async function runSsh(job: StageJob, runner: CommandRunner, now: () => Date, secrets: string): Promise<StageExecution> {
  validateJob(job);
  const startedAt = now();
  if (job.signal?.aborted) return notStarted({ error: 'canceled before start', canceled: true }, startedAt, now(), 0);
  const spec = specOf(job);
  const prefix = prefixOf(job);
  mkdirSync(dirname(job.logFile), { recursive: true });
  // One ssh call starts the stage and waits for its end (the handshake is the slow part); a dropped connection
  // after the start leaves the stage running, and follow() waits for it again.
  const launch = launchCommand({
    prefix,
    env: job.env,
    setup: spec.setup,
    argv: job.argv,
    cwd: job.remote?.cwd ?? spec.workdir ?? job.cwd,
    logFile: job.remote?.logFile ?? job.logFile,
  });
  const execution = await follow(job, runner, now, startedAt.toISOString(), null, false, {
    command: `${launch}\n${waitCommand(prefix)}`,
    input: secrets,
  });
  if (execution === undefined) {
    return notStarted({ error: `could not start the stage on ${spec.host} over ssh` }, startedAt, now(), 0);
  }
  return execution;
}

// Waits for the attempt's end on the host, cancelling it (SIGTERM to its group, SIGKILL after the grace period)
// when the stage is cancelled or passes its time limit. Undefined, when re-attaching, if it never started.
async function follow(
  job: StageJob,
  runner: CommandRunner,
  now: () => Date,
  startedAt: string,
  pid: number | null,
  reattaching: boolean,
  launch?: { command: string; input: string },
): Promise<StageExecution | undefined> {
  const spec = specOf(job);
  const prefix = prefixOf(job);
  const ssh = (command: string, input?: string) => runner(sshArgs(target(spec), command), input === undefined ? {} : { input });
  let killTimer: NodeJS.Timeout | undefined;
  const stops = stopRequests(job.signal, () => {
    void ssh(killCommand(prefix, 'TERM'));
    killTimer = setTimeout(() => void ssh(killCommand(prefix, 'KILL')), (job.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000);
  });
  const remaining = deadlineOf(startedAt, job.timeoutSeconds) - now().getTime();
  const timer = Number.isFinite(remaining) ? setTimeout(() => stops.request('timeout'), Math.max(0, remaining)) : undefined;
  try {
    for (let failures = 0; ; failures++) {
      const first = failures === 0 && launch !== undefined;
      const waited = first ? await ssh(launch.command, launch.input) : await ssh(waitCommand(prefix));
      const lines = waited.stdout.trim().split('\n');
      if (first) {
        const started = Number.parseInt(lines[0] ?? '', 10);
        // Nothing printed: ssh failed before the host ran anything, so the stage never started.
        if (!Number.isFinite(started)) {
          return {
            ...outcome(startedAt, now(), null, stops.why, { exitCode: null, signal: null }),
            error: `could not start the stage on ${spec.host} over ssh: ${waited.stderr.trim() || `exit code ${waited.exitCode}`}`,
          };
        }
        pid = started;
      }
      const line = lines.at(-1) ?? '';
      if (waited.exitCode === 0 && line.startsWith('exit ')) {
        const { exitCode, signal } = decodeExitStatus(Number.parseInt(line.slice(5), 10));
        return outcome(startedAt, now(), pid, stops.why, { exitCode, signal });
      }
      if (waited.exitCode === 0 && line === 'gone') {
        if (reattaching) return undefined;
        return {
          ...outcome(startedAt, now(), pid, stops.why, { exitCode: null, signal: stops.why ? 'SIGKILL' : null }),
          error: 'the stage process ended without recording its exit status (its process group was killed)',
        };
      }
      // The connection dropped (ssh exits 255): the stage runs on regardless; wait again, giving up after a while.
      if (failures >= 10) {
        return {
          ...outcome(startedAt, now(), pid, stops.why, { exitCode: null, signal: null }),
          error:
            `lost contact with ${spec.host} over ssh: ${waited.stderr.trim() || `exit code ${waited.exitCode}`}; the stage may ` +
            `still run there, \`loop resume\` re-attaches to it`,
        };
      }
      await sleep(backoffDelay({ firstMs: 1000, maxMs: 30_000 }, failures + 1));
    }
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    stops.dispose();
  }
}

// The stage outcome from the recorded exit status and what loop itself asked for (cancel, time-out).
function outcome(
  startedAt: string,
  endedAt: Date,
  pid: number | null,
  requested: StopReason | null,
  status: { exitCode: number | null; signal: string | null },
): StageExecution {
  return {
    ok: status.exitCode === 0 && requested === null,
    ...status,
    timedOut: requested === 'timeout',
    canceled: requested === 'cancel',
    durationMs: Math.max(0, endedAt.getTime() - Date.parse(startedAt)),
    pid,
    startedAt,
    endedAt: endedAt.toISOString(),
  };
}

// The recipe's ssh options as the ssh command line builder wants them.
function target(spec: SshSpec): SshTarget {
  return { host: spec.host, user: spec.user, port: spec.port, identityFile: spec.identityFile, options: spec.options };
}

// The SSH options every SSH job carries (run-stage passes the stage's executor).
function specOf(job: StageJob): SshSpec {
  if (job.executor?.kind !== 'ssh') throw new TypeError('an SSH job needs job.executor of kind ssh');
  return job.executor;
}

// Where the attempt's wrapper files live on the host (the copy's, without a shared filesystem); an SSH job always has one.
function prefixOf(job: StageJob): string {
  if (!job.controlPrefix) throw new TypeError('an SSH job needs job.controlPrefix');
  return job.remote?.prefix ?? job.controlPrefix;
}
