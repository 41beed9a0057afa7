// What every executor (local, Slurm, SSH) is given and gives back, so the loop never cares where a stage runs.

import type { ExecutorSpec, Resources } from '../recipe/types.ts';

// One stage process to run: the program and its arguments, where, with what, and how long it may take.
export interface StageJob {
  /** argv[0] is the program; the array is passed as is and never goes through a shell. */
  argv: string[];
  cwd: string;
  /** Added to process.env. */
  env: Record<string, string>;
  /** stdout and stderr are both appended here (opened with 'a'); the file and its folder are created if missing. */
  logFile: string;
  /** Wall-clock limit; on expiry the process group gets SIGTERM, then SIGKILL after graceSeconds. */
  timeoutSeconds?: number;
  /** After SIGTERM, how long to wait before SIGKILL (default 10). */
  graceSeconds?: number;
  /** Cancellation: aborting terminates the process group like a timeout does. */
  signal?: AbortSignal;
  /**
   * Where the attempt leaves its PREFIX.starts and PREFIX.exit files, so a restarted controller can collect or follow it
   * (`reattach`). Absent: the process is a plain child of the controller.
   */
  controlPrefix?: string;
  /** The stage's executor options (partition, host…); remote executors need them, local ignores them. */
  executor?: ExecutorSpec;
  /** The stage's resources (cpus, gpus, memory), turned into sbatch options by the Slurm executor. */
  resources?: Resources;
  /**
   * Names this attempt deterministically (run, iteration, stage, attempt), so that a restarted controller finds a
   * Slurm job by name although it died before recording the job id.
   */
  jobName?: string;
  /** The recipe's local input paths (name → absolute path); a host without a shared filesystem gets the ones the command names. */
  inputs?: Record<string, string>;
  /**
   * Set by the transfer layer (src/executors/wrappers/transfer/) for a host without a shared filesystem: where the attempt's
   * wrapper files, log and working directory are on that host. The controller keeps its own records at
   * controlPrefix and logFile.
   */
  remote?: RemotePlacement;
}

// The attempt's files as the host without a shared filesystem sees them.
export interface RemotePlacement {
  prefix: string;
  logFile: string;
  cwd: string;
  /** Copies the host's PREFIX.starts and PREFIX.exit to controlPrefix, before an executor reads them. */
  pullAttemptFiles(): Promise<void>;
  /**
   * Writes files on the host (their text on ssh's standard input, never in an argument list), each readable by its
   * owner only; for an executor whose scheduler cannot carry them (Ray: the entrypoint script, the secrets file).
   */
  put(files: Array<{ path: string; text: string }>): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Removes files on the host, as far as it can (a secrets file a job never read). */
  remove(files: string[]): Promise<void>;
}

// A process outcome is data with one shape, success or not; executors never throw for a failed stage.
export interface StageExecution {
  /** Exited 0, and was neither timed out nor canceled. */
  ok: boolean;
  exitCode: number | null;
  /** The signal that ended the process, e.g. 'SIGTERM'. */
  signal: string | null;
  timedOut: boolean;
  canceled: boolean;
  durationMs: number;
  pid: number | null;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601. */
  endedAt: string;
  /** Why the process could not run or be started, e.g. "program not found: foo"; still data, not thrown. */
  error?: string;
}

// The one interface each backend implements; `kind` is the name a recipe's `executor.kind` uses.
export interface Executor {
  readonly kind: string;
  /**
   * The stage runs on the controller's own machine, so no attempt outlives a reboot of it: the record that an
   * attempt started need not be fsync'd (after a crash of the controller alone the page cache still has it, and
   * after a reboot the attempt is gone anyway and runs again). Remote jobs outlive it, so their start is durable.
   */
  readonly sharesControllerHost?: boolean;
  run(job: StageJob): Promise<StageExecution>;
  /**
   * After a controller restart, the outcome of an attempt started earlier with the same `controlPrefix`: collected if it
   * ended, followed if it still runs; undefined when there is nothing to re-attach to (the attempt must run again).
   */
  reattach?(job: StageJob, startedAt: string): Promise<StageExecution | undefined>;
}

// One shard of a sharded stage (`shards: N`): a stage job of its own (argv, env, log and wrapper files in the shard's
// folder) plus its index.
export interface ShardJob extends StageJob {
  shard: number;
}

// How the shards of one attempt run: how many at once, and whether this is a restarted controller picking them up.
export interface ShardRunOptions {
  /** Shards of the stage in all (the array's size on Slurm). */
  count: number;
  /** At most this many at once; undefined: the executor's default. */
  parallel?: number;
  /** Set after a controller restart: when the attempt started; shards already started are re-attached, not rerun. */
  resumeFrom?: string;
  /** Called for each shard just before it is started afresh (not when re-attached): clears its output folder. */
  prepare?: (shard: ShardJob) => void;
}

// An executor that runs an attempt's shards together (Slurm: one job array); `array` carries the attempt-level
// control prefix, job name, stage log, time limit and cancellation. Returns one outcome per shard, in `shards` order.
export interface ShardedExecutor extends Executor {
  runShards(array: StageJob, shards: ShardJob[], options: ShardRunOptions): Promise<StageExecution[]>;
}
