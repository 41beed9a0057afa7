import { appendFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Executor, StageExecution } from '../executors/executor.ts';
import type { StageInput, StageOutput } from '../../loops/evolve-types.ts';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from './run-paths.ts';
import { resolveCommand, stageEnvironment, type StageContext } from './stage-context.ts';
import { readMetrics } from './read-metrics.ts';
import { writeStageRecord, type AttemptRecord, type StageRecord } from './stage-record.ts';
import { StageFailedError } from './stage-failed-error.ts';
import { logTail } from './log-tail.ts';

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
  const attempts: AttemptRecord[] = [];
  let reason = '';
  for (let attempt = 1; attempt <= spec.retry.attempts; attempt++) {
    const ctx: StageContext = { run: deps.run, paths, recipe: deps.recipe, stage: spec, iteration: input.iteration, attempt, latest: input.latest };
    const argv = resolveCommand(ctx);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const startedAt = deps.now().toISOString();
    const record: StageRecord = {
      stage: spec.name, iteration: input.iteration, status: 'running', attempt, command: argv, executor: executor.kind,
      startedAt, exitCode: null, signal: null, metrics: {}, outputs: {}, attempts,
    };
    writeStageRecord(statusFile, record);
    appendFileSync(logFile, `\n=== loop: ${spec.name} · iteration ${input.iteration} · attempt ${attempt}/${spec.retry.attempts} · ${startedAt}\n`);
    const execution = await executor.run({
      argv,
      cwd: deps.recipe.recipeDir,
      env: stageEnvironment(ctx),
      logFile,
      timeoutSeconds: spec.resources.timeSeconds,
      signal,
    });
    const verdict = judge(execution, spec.outputs, out);
    const attemptRecord: AttemptRecord = {
      attempt, startedAt, endedAt: execution.endedAt, exitCode: execution.exitCode, signal: execution.signal,
      timedOut: execution.timedOut, durationMs: execution.durationMs, ...(verdict.ok ? {} : { reason: verdict.reason }),
    };
    attempts.push(attemptRecord);
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

// Accepts an attempt only when the process succeeded, every declared output exists and metrics.json is valid.
function judge(execution: StageExecution, declared: Record<string, string>, out: string): Verdict {
  if (!execution.ok) return { ok: false, reason: describeExecution(execution) };
  const outputs: StageRecord['outputs'] = {};
  const missing: string[] = [];
  for (const [name, rel] of Object.entries(declared)) {
    const file = path.join(out, rel);
    if (!existsSync(file)) missing.push(`${name} (${rel})`);
    else outputs[name] = { path: file, bytes: statSync(file).size };
  }
  if (missing.length > 0) {
    return { ok: false, reason: `exited 0 but declared outputs are missing in ${out}: ${missing.join(', ')}; the script must write them there` };
  }
  const metrics = readMetrics(path.join(out, 'metrics.json'));
  if (!metrics.ok) return { ok: false, reason: metrics.reason };
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
