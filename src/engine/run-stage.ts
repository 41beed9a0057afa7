import { appendFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Executor, StageExecution, StageJob } from '../executors/executor.ts';
import type { StageInput, StageOutput } from './machine/evolve-types.ts';
import type { Recipe, StageSpec } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { resolveCommand, stageEnvironment, type StageContext } from './stage-context.ts';
import { readMetrics } from '../run-folder/read-metrics.ts';
import { readStageRecord, writeStageRecord, type AttemptRecord, type StageRecord } from '../run-folder/stage-record.ts';
import { StageFailedError } from './stage-failed-error.ts';
import { logTail } from '../fs/log-tail.ts';
import { hashOutput } from '../fs/hash-output.ts';
import { attemptName } from '../executors/attempt-name.ts';
import { escapingPath } from '../fs/escaping-path.ts';
import { runShardedAttempt } from './run-sharded-attempt.ts';
import { notRun } from '../executors/common/not-run.ts';

export interface StageRunnerDeps {
  run: string;
  paths: RunPaths;
  recipe: Recipe;
  executorFor: (kind: string) => Executor;
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Variables a stage gets from the run's trackers (its MLflow child run), prepared before it starts. */
  trackingEnv?: (iteration: number, stage: string) => Record<string, string>;
}

// One stage's run in progress: what every attempt of it shares.
interface StageRun {
  deps: StageRunnerDeps;
  input: StageInput;
  spec: StageSpec;
  executor: Executor;
  dir: string;
  out: string;
  logFile: string;
  statusFile: string;
  signal: AbortSignal | undefined;
}

// How one attempt went: when it started (the first start, for an attempt re-attached to) and how its process ended.
interface AttemptOutcome {
  startedAt: string;
  execution: StageExecution;
}

// Runs one stage to completion under its retry policy: a fresh output folder per attempt, the log appended,
// status.json rewritten at each step; done only when it exited 0, its outputs exist and its metrics.json is valid.
// Called again after a controller restart, it never reruns finished work: a stage recorded as succeeded returns
// its recorded result, and an attempt that was running is collected or followed through its executor.
export async function runStage(deps: StageRunnerDeps, input: StageInput, signal?: AbortSignal): Promise<StageOutput> {
  const spec = deps.recipe.stages.find((st) => st.name === input.stage);
  if (!spec) throw new Error(`stage ${input.stage} is not in the recipe`);
  const { paths } = deps;
  const s: StageRun = {
    deps,
    input,
    spec,
    signal,
    executor: deps.executorFor(spec.executor.kind),
    dir: paths.stage(input.iteration, spec.name),
    out: paths.stageOut(input.iteration, spec.name),
    logFile: paths.stageLog(input.iteration, spec.name),
    statusFile: paths.stageStatus(input.iteration, spec.name),
  };
  mkdirSync(s.dir, { recursive: true });
  const previous = readStageRecord(s.statusFile);
  if (previous?.status === 'succeeded') {
    return { metrics: previous.metrics, endedAt: Date.parse(previous.endedAt ?? previous.startedAt) };
  }
  const interrupted = previous?.status === 'running' ? previous : undefined;
  const attempts: AttemptRecord[] = interrupted ? interrupted.attempts.filter((a) => a.attempt < interrupted.attempt) : [];
  let reason = '';
  for (let attempt = interrupted?.attempt ?? 1; attempt <= spec.retry.attempts; attempt++) {
    const job = stageJob(s, attempt);
    const { startedAt, execution } = await runAttempt(
      s,
      job,
      attempt,
      attempts,
      interrupted?.attempt === attempt ? interrupted : undefined,
    );
    const verdict = await judge(execution, spec, s.out).catch(
      (error: unknown): Verdict => ({ ok: false, reason: `its outputs could not be read: ${(error as Error).message}` }),
    );
    attempts.push({
      attempt,
      startedAt,
      endedAt: execution.endedAt,
      exitCode: execution.exitCode,
      signal: execution.signal,
      timedOut: execution.timedOut,
      durationMs: execution.durationMs,
      ...(verdict.ok ? {} : { reason: verdict.reason }),
    });
    const ended: StageRecord = {
      ...runningRecord(s, job, attempt, startedAt, attempts),
      endedAt: execution.endedAt,
      exitCode: execution.exitCode,
      signal: execution.signal,
      durationMs: execution.durationMs,
    };
    if (verdict.ok) {
      writeStageRecord(s.statusFile, { ...ended, status: 'succeeded', metrics: verdict.metrics, outputs: verdict.outputs });
      return { metrics: verdict.metrics, endedAt: Date.parse(execution.endedAt) };
    }
    reason = verdict.reason;
    const canceled = execution.canceled || signal?.aborted === true;
    writeStageRecord(s.statusFile, { ...ended, status: canceled ? 'canceled' : 'failed', reason });
    appendFileSync(s.logFile, `=== loop: attempt ${attempt} ${canceled ? 'canceled' : 'failed'}: ${reason}\n`);
    if (canceled) break;
    if (attempt < spec.retry.attempts && spec.retry.backoffSeconds > 0) {
      await deps.sleep(spec.retry.backoffSeconds * 1000, signal);
    }
  }
  throw new StageFailedError(spec.name, input.iteration, reason, s.logFile, logTail(s.logFile));
}

// The attempt, by the one path it takes: the shards of a sharded stage (re-attached after a restart, else started),
// or a lone process (collected or followed after a restart when its executor can, else started afresh).
async function runAttempt(
  s: StageRun,
  job: StageJob,
  attempt: number,
  attempts: AttemptRecord[],
  interrupted: StageRecord | undefined,
): Promise<AttemptOutcome> {
  if (s.spec.shards !== undefined) {
    return interrupted ? resumeShardedAttempt(s, job, attempt, interrupted.startedAt) : startShardedAttempt(s, job, attempt, attempts);
  }
  const collected = interrupted ? await reattachAttempt(s, job, attempt, interrupted.startedAt) : undefined;
  return collected ?? startAttempt(s, job, attempt, attempts);
}

// After a controller restart: the attempt that was running, collected if it ended or followed if it still runs;
// undefined when the executor has nothing to re-attach to (the attempt then runs again).
async function reattachAttempt(s: StageRun, job: StageJob, attempt: number, startedAt: string): Promise<AttemptOutcome | undefined> {
  if (!s.executor.reattach) return undefined;
  const execution = await s.executor.reattach(job, startedAt);
  if (!execution) return undefined;
  appendFileSync(s.logFile, `=== loop: controller restarted; collected attempt ${attempt} · ${s.deps.now().toISOString()}\n`);
  return { startedAt, execution };
}

// A fresh attempt of a lone process: nothing half-written by an earlier one survives.
async function startAttempt(s: StageRun, job: StageJob, attempt: number, attempts: AttemptRecord[]): Promise<AttemptOutcome> {
  const startedAt = s.deps.now().toISOString();
  rmSync(s.out, { recursive: true, force: true });
  rmSync(`${job.controlPrefix}.exit`, { force: true });
  mkdirSync(s.out, { recursive: true });
  writeStageRecord(s.statusFile, runningRecord(s, job, attempt, startedAt, attempts), { durable: !s.executor.sharesControllerHost });
  banner(s, attempt, startedAt);
  const execution = await s.executor.run(job).catch((error: unknown) => notRun(error, 'stage', startedAt, s.deps.now().toISOString()));
  return { startedAt, execution };
}

// A fresh attempt of a sharded stage. Shards keep their own folders; runShardedAttempt rebuilds out/ by merging them.
async function startShardedAttempt(s: StageRun, job: StageJob, attempt: number, attempts: AttemptRecord[]): Promise<AttemptOutcome> {
  const startedAt = s.deps.now().toISOString();
  writeStageRecord(s.statusFile, runningRecord(s, job, attempt, startedAt, attempts));
  banner(s, attempt, startedAt, ` · ${s.spec.shards} shards`);
  return { startedAt, execution: await shardedExecution(s, job, attempt, startedAt, undefined) };
}

// After a controller restart: the shards of the attempt that was running; those done stay done, the rest are
// re-attached to or started.
async function resumeShardedAttempt(s: StageRun, job: StageJob, attempt: number, startedAt: string): Promise<AttemptOutcome> {
  const line = `=== loop: controller restarted; re-attaching to the shards of attempt ${attempt} · ${s.deps.now().toISOString()}\n`;
  appendFileSync(s.logFile, line);
  return { startedAt, execution: await shardedExecution(s, job, attempt, startedAt, startedAt) };
}

async function shardedExecution(s: StageRun, job: StageJob, attempt: number, startedAt: string, resumeFrom: string | undefined) {
  return runShardedAttempt({ executor: s.executor, ctx: contextOf(s, attempt), array: job, resumeFrom, now: s.deps.now }).catch(
    (error: unknown) => notRun(error, 'stage', startedAt, s.deps.now().toISOString()),
  );
}

// The log line that opens an attempt.
function banner(s: StageRun, attempt: number, startedAt: string, extra = ''): void {
  const { spec, input } = s;
  appendFileSync(
    s.logFile,
    `\n=== loop: ${spec.name} · iteration ${input.iteration} · attempt ${attempt}/${spec.retry.attempts}${extra} · ${startedAt}\n`,
  );
}

function contextOf(s: StageRun, attempt: number): StageContext {
  const { deps, input } = s;
  return {
    run: deps.run,
    paths: deps.paths,
    recipe: deps.recipe,
    stage: s.spec,
    iteration: input.iteration,
    attempt,
    latest: input.latest,
    trackingEnv: deps.trackingEnv?.(input.iteration, s.spec.name),
  };
}

// The executor's job for one attempt: the resolved command, its environment, where its files go, and its name.
function stageJob(s: StageRun, attempt: number): StageJob {
  const { deps, spec, input } = s;
  const ctx = contextOf(s, attempt);
  return {
    argv: resolveCommand(ctx),
    cwd: deps.recipe.recipeDir,
    env: stageEnvironment(ctx),
    logFile: s.logFile,
    timeoutSeconds: spec.resources.timeSeconds,
    signal: s.signal,
    controlPrefix: path.join(s.dir, `attempt-${attempt}`),
    executor: spec.executor,
    resources: spec.resources,
    jobName: attemptName({ run: deps.run, runRoot: deps.paths.root, iteration: input.iteration, stage: spec.name, attempt }),
    inputs: deps.recipe.inputs,
  };
}

// The stage's record while an attempt runs.
function runningRecord(s: StageRun, job: StageJob, attempt: number, startedAt: string, attempts: AttemptRecord[]): StageRecord {
  return {
    stage: s.spec.name,
    iteration: s.input.iteration,
    status: 'running',
    attempt,
    command: job.argv,
    executor: s.executor.kind,
    startedAt,
    exitCode: null,
    signal: null,
    metrics: {},
    outputs: {},
    attempts,
  };
}

type Verdict = { ok: true; metrics: Record<string, number>; outputs: StageRecord['outputs'] } | { ok: false; reason: string };

// Accepts an attempt only when the process succeeded, every declared output exists and metrics.json is valid;
// accepted outputs are recorded with their sizes and hashes.
async function judge(execution: StageExecution, spec: StageSpec, out: string): Promise<Verdict> {
  if (!execution.ok) return { ok: false, reason: describeExecution(execution) };
  const missing = Object.entries(spec.outputs).filter(([, rel]) => !existsSync(path.join(out, rel)));
  if (missing.length > 0) {
    const names = missing.map(([name, rel]) => `${name} (${rel})`).join(', ');
    return { ok: false, reason: `exited 0 but declared outputs are missing in ${out}: ${names}; the script must write them there` };
  }
  const escaping = Object.values(spec.outputs)
    .map((rel) => escapingPath(out, rel))
    .find(Boolean);
  if (escaping) return { ok: false, reason: `exited 0 but an output leaves its folder: ${escaping}` };
  const metrics = readMetrics(path.join(out, 'metrics.json'));
  if (!metrics.ok) return { ok: false, reason: metrics.reason };
  const outputs: StageRecord['outputs'] = {};
  for (const [name, rel] of Object.entries(spec.outputs)) {
    const file = path.join(out, rel);
    outputs[name] = { path: file, ...(await hashOutput(file)) };
  }
  return { ok: true, metrics: metrics.metrics, outputs };
}

// One sentence for how a process ended.
export function describeExecution(execution: StageExecution): string {
  if (execution.error) return execution.error;
  if (execution.canceled) return 'canceled';
  if (execution.timedOut) return `stopped after its time limit (${Math.round(execution.durationMs / 1000)}s)`;
  if (execution.signal) return `killed by ${execution.signal}`;
  return `exited with code ${execution.exitCode}`;
}
