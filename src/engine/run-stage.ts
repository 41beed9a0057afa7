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

export interface StageRunnerDeps {
  run: string;
  paths: RunPaths;
  recipe: Recipe;
  executorFor: (kind: string) => Executor;
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

// Runs one stage to completion under its retry policy: a fresh output folder per attempt, the log appended,
// status.json rewritten at each step; done only when it exited 0, its outputs exist and its metrics.json is valid.
// Called again after a controller restart, it never reruns finished work: a stage recorded as succeeded returns
// its recorded result, and an attempt that was running is collected or followed through its executor.
export async function runStage(deps: StageRunnerDeps, input: StageInput, signal?: AbortSignal): Promise<StageOutput> {
  const spec = deps.recipe.stages.find((s) => s.name === input.stage);
  if (!spec) throw new Error(`stage ${input.stage} is not in the recipe`);
  const { paths } = deps;
  const dir = paths.stage(input.iteration, spec.name);
  const out = paths.stageOut(input.iteration, spec.name);
  const logFile = paths.stageLog(input.iteration, spec.name);
  const statusFile = paths.stageStatus(input.iteration, spec.name);
  mkdirSync(dir, { recursive: true });
  const executor = deps.executorFor(spec.executor.kind);

  const previous = readStageRecord(statusFile);
  if (previous?.status === 'succeeded') {
    return { metrics: previous.metrics, endedAt: Date.parse(previous.endedAt ?? previous.startedAt) };
  }
  const interrupted = previous?.status === 'running' ? previous : undefined;
  const attempts: AttemptRecord[] = interrupted ? interrupted.attempts.filter((a) => a.attempt < interrupted.attempt) : [];
  let reason = '';
  for (let attempt = interrupted?.attempt ?? 1; attempt <= spec.retry.attempts; attempt++) {
    const ctx: StageContext = { run: deps.run, paths, recipe: deps.recipe, stage: spec, iteration: input.iteration, attempt, latest: input.latest };
    const argv = resolveCommand(ctx);
    const job: StageJob = {
      argv,
      cwd: deps.recipe.recipeDir,
      env: stageEnvironment(ctx),
      logFile,
      timeoutSeconds: spec.resources.timeSeconds,
      signal,
      controlPrefix: path.join(dir, `attempt-${attempt}`),
      executor: spec.executor,
      resources: spec.resources,
      jobName: attemptName({ run: deps.run, runRoot: paths.root, iteration: input.iteration, stage: spec.name, attempt }),
      inputs: deps.recipe.inputs,
    };
    let startedAt = deps.now().toISOString();
    let execution: StageExecution | undefined;
    const sharded = spec.shards !== undefined;
    const resumeShards = sharded && interrupted && attempt === interrupted.attempt ? interrupted.startedAt : undefined;
    if (resumeShards !== undefined) startedAt = resumeShards;
    if (!sharded && interrupted && attempt === interrupted.attempt && executor.reattach) {
      execution = await executor.reattach(job, interrupted.startedAt);
      if (execution) {
        startedAt = interrupted.startedAt;
        appendFileSync(logFile, `=== loop: controller restarted; collected attempt ${attempt} · ${deps.now().toISOString()}\n`);
      }
    }
    const record: StageRecord = {
      stage: spec.name, iteration: input.iteration, status: 'running', attempt, command: argv, executor: executor.kind,
      startedAt, exitCode: null, signal: null, metrics: {}, outputs: {}, attempts,
    };
    if (sharded) {
      // Shards keep their own folders (those done stay done); runShardedAttempt rebuilds out/ by merging them.
      if (resumeShards === undefined) {
        writeStageRecord(statusFile, record);
        appendFileSync(logFile, `\n=== loop: ${spec.name} · iteration ${input.iteration} · attempt ${attempt}/${spec.retry.attempts} · ${spec.shards} shards · ${startedAt}\n`);
      } else {
        appendFileSync(logFile, `=== loop: controller restarted; re-attaching to the shards of attempt ${attempt} · ${deps.now().toISOString()}\n`);
      }
      execution = await runShardedAttempt({ executor, ctx, array: job, resumeFrom: resumeShards, now: deps.now })
        .catch((error: unknown) => notRun(error, startedAt, deps.now()));
    } else if (!execution) {
      // A fresh attempt: nothing half-written by an earlier one survives.
      rmSync(out, { recursive: true, force: true });
      rmSync(`${job.controlPrefix}.exit`, { force: true });
      mkdirSync(out, { recursive: true });
      writeStageRecord(statusFile, record, { durable: !executor.sharesControllerHost });
      appendFileSync(logFile, `\n=== loop: ${spec.name} · iteration ${input.iteration} · attempt ${attempt}/${spec.retry.attempts} · ${startedAt}\n`);
      execution = await executor.run(job).catch((error: unknown) => notRun(error, startedAt, deps.now()));
    }
    const verdict = await judge(execution, spec, out).catch(
      (error: unknown): Verdict => ({ ok: false, reason: `its outputs could not be read: ${(error as Error).message}` }),
    );
    attempts.push({
      attempt, startedAt, endedAt: execution.endedAt, exitCode: execution.exitCode, signal: execution.signal,
      timedOut: execution.timedOut, durationMs: execution.durationMs, ...(verdict.ok ? {} : { reason: verdict.reason }),
    });
    const ended: StageRecord = {
      ...record, endedAt: execution.endedAt, exitCode: execution.exitCode, signal: execution.signal,
      durationMs: execution.durationMs, attempts,
    };
    if (verdict.ok) {
      writeStageRecord(statusFile, { ...ended, status: 'succeeded', metrics: verdict.metrics, outputs: verdict.outputs });
      return { metrics: verdict.metrics, endedAt: Date.parse(execution.endedAt) };
    }
    reason = verdict.reason;
    const canceled = execution.canceled || signal?.aborted === true;
    writeStageRecord(statusFile, { ...ended, status: canceled ? 'canceled' : 'failed', reason });
    appendFileSync(logFile, `=== loop: attempt ${attempt} ${canceled ? 'canceled' : 'failed'}: ${reason}\n`);
    if (canceled) break;
    if (attempt < spec.retry.attempts && spec.retry.backoffSeconds > 0) {
      await deps.sleep(spec.retry.backoffSeconds * 1000, signal);
    }
  }
  throw new StageFailedError(spec.name, input.iteration, reason, logFile, logTail(logFile));
}

type Verdict =
  | { ok: true; metrics: Record<string, number>; outputs: StageRecord['outputs'] }
  | { ok: false; reason: string };

// Accepts an attempt only when the process succeeded, every declared output exists and metrics.json is valid;
// accepted outputs are recorded with their sizes and hashes.
async function judge(execution: StageExecution, spec: StageSpec, out: string): Promise<Verdict> {
  if (!execution.ok) return { ok: false, reason: describeExecution(execution) };
  const missing = Object.entries(spec.outputs).filter(([, rel]) => !existsSync(path.join(out, rel)));
  if (missing.length > 0) {
    const names = missing.map(([name, rel]) => `${name} (${rel})`).join(', ');
    return { ok: false, reason: `exited 0 but declared outputs are missing in ${out}: ${names}; the script must write them there` };
  }
  const escaping = Object.values(spec.outputs).map((rel) => escapingPath(out, rel)).find(Boolean);
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

// An attempt the executor could not even make (a bug or an I/O error) is a failed attempt, never a stage left "running".
function notRun(error: unknown, startedAt: string, now: Date): StageExecution {
  return {
    ok: false, exitCode: null, signal: null, timedOut: false, canceled: false, durationMs: 0, pid: null,
    startedAt, endedAt: now.toISOString(), error: `could not run the stage: ${(error as Error).message}`,
  };
}

// One sentence for how a process ended.
export function describeExecution(execution: StageExecution): string {
  if (execution.error) return execution.error;
  if (execution.canceled) return 'canceled';
  if (execution.timedOut) return `stopped after its time limit (${Math.round(execution.durationMs / 1000)}s)`;
  if (execution.signal) return `killed by ${execution.signal}`;
  return `exited with code ${execution.exitCode}`;
}
