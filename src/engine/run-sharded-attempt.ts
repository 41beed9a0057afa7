import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Executor, ShardJob, StageExecution, StageJob } from '../executors/executor.ts';
import { runShards } from '../executors/shards/run-shards.ts';
import { shardDir } from '../executors/shards/shard-paths.ts';
import { mergeShardOutputs } from '../executors/shards/merge-shard-outputs.ts';
import { mergeShardMetrics } from './merge-shard-metrics.ts';
import { escapingPath } from '../fs/escaping-path.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { readMetrics } from '../run-folder/read-metrics.ts';
import { resolveCommand, stageEnvironment, type StageContext } from './stage-context.ts';

export interface ShardedAttempt {
  executor: Executor;
  /** The attempt's context (its stage has `shards`). */
  ctx: StageContext;
  /** The attempt as one job: its control prefix and job name (the Slurm array's), the stage log, limit, cancellation. */
  array: StageJob;
  /** After a controller restart: when the interrupted attempt started; its shards are re-attached, not rerun. */
  resumeFrom?: string;
  now: () => Date;
}

// One attempt of a sharded stage (`shards: N`): runs the shards not done yet (all of them in attempt 1, only those
// that failed afterwards), judges each like a stage (exit 0, its declared outputs in its own folder, a valid
// metrics.json) and marks the good ones done in shards/K/done; once every shard is done, merges their outputs and
// metrics into the stage's out/ in shard order. The stage's outcome: ok when all shards are done and merged, else
// the failing shards and why (the retry policy then runs those alone).
export async function runShardedAttempt(a: ShardedAttempt): Promise<StageExecution> {
  const { ctx, array } = a;
  const count = ctx.stage.shards ?? 1;
  const stageDir = path.dirname(array.controlPrefix!);
  const startedAt = a.resumeFrom ?? a.now().toISOString();
  const all = Array.from({ length: count }, (_, index) => shardJob(ctx, array, stageDir, index, count));
  // A shard done earlier in this iteration (an earlier attempt, or a run of the stage that failed or was paused with
  // --now) stays done while its command and environment are the same; a recipe edit that changes them reruns it.
  const fingerprints = Array.from({ length: count }, (_, index) =>
    fingerprint(shardJob({ ...ctx, attempt: 1 }, array, stageDir, index, count)),
  );
  const pending = all.filter((job) => readDone(stageDir, job.shard) !== fingerprints[job.shard]);
  // A stage started afresh (not a retry, not a restarted controller): no exit status of its earlier run may be
  // collected as this one's. Shard logs are appended to.
  if (ctx.attempt === 1 && a.resumeFrom === undefined) {
    for (const job of pending) {
      rmSync(doneFile(stageDir, job.shard), { force: true });
      for (let n = 1; n <= ctx.stage.retry.attempts; n++)
        rmSync(path.join(shardDir(stageDir, job.shard), `attempt-${n}.exit`), { force: true });
    }
  }
  const prepare = (shard: ShardJob) => {
    const out = shardOut(stageDir, shard.shard);
    rmSync(out, { recursive: true, force: true });
    rmSync(`${shard.controlPrefix}.exit`, { force: true });
    mkdirSync(out, { recursive: true });
    appendFileSync(
      shard.logFile,
      `\n=== loop: ${ctx.stage.name} · iteration ${ctx.iteration} · shard ${shard.shard}/${count} · attempt ${ctx.attempt} · ` +
        `${a.now().toISOString()}\n`,
    );
  };
  if (pending.length > 0 && pending.length < count) {
    appendFileSync(
      array.logFile,
      `=== loop: retrying shards ${pending.map((s) => s.shard).join(', ')} alone (the other ${count - pending.length} are done)\n`,
    );
  }
  const results = await runShards(a.executor, array, pending, {
    count,
    parallel: ctx.stage.parallelShards,
    resumeFrom: a.resumeFrom,
    prepare,
  });
  const failures: string[] = [];
  results.forEach((execution, i) => {
    const shard = pending[i]!;
    const verdict = judgeShard(execution, ctx.stage.outputs, shardOut(stageDir, shard.shard));
    if (verdict === undefined) {
      writeFileAtomic(
        doneFile(stageDir, shard.shard),
        `${JSON.stringify({ attempt: ctx.attempt, endedAt: execution.endedAt, fingerprint: fingerprints[shard.shard] })}\n`,
      );
    } else {
      failures.push(`shard ${shard.shard}: ${verdict}`);
    }
    appendFileSync(array.logFile, `=== loop: shard ${shard.shard} ${verdict === undefined ? 'done' : `failed: ${verdict}`}\n`);
  });
  const endedAt =
    results
      .map((r) => r.endedAt)
      .sort()
      .at(-1) ?? a.now().toISOString();
  const base: StageExecution = {
    ok: false,
    exitCode: null,
    signal: null,
    timedOut: results.some((r) => r.timedOut),
    canceled: results.some((r) => r.canceled),
    durationMs: Math.max(0, Date.parse(endedAt) - Date.parse(startedAt)),
    pid: null,
    startedAt,
    endedAt,
  };
  if (base.canceled || array.signal?.aborted) return { ...base, canceled: true };
  if (failures.length > 0) {
    const firstCode = results.find((r) => !r.ok && r.exitCode !== null)?.exitCode ?? null;
    return { ...base, exitCode: firstCode, error: `${failures.length} of ${count} shards failed (${failures.join('; ')})` };
  }
  const outs = all.map((job) => shardOut(stageDir, job.shard));
  const out = ctx.paths.stageOut(ctx.iteration, ctx.stage.name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const merged = await mergeShardOutputs(ctx.stage.outputs, outs, out);
  if (!merged.ok) return { ...base, error: merged.reason };
  mergeShardMetrics(outs, out);
  return { ...base, ok: true, exitCode: 0, timedOut: false };
}

// One shard as a stage job: its own {{ out }}, LOOP_SHARD_INDEX/COUNT, log and wrapper files in shards/K.
function shardJob(ctx: StageContext, array: StageJob, stageDir: string, index: number, count: number): ShardJob {
  const shardCtx: StageContext = { ...ctx, shard: { index, count, out: shardOut(stageDir, index) } };
  const dir = shardDir(stageDir, index);
  return {
    ...array,
    argv: resolveCommand(shardCtx),
    env: stageEnvironment(shardCtx),
    logFile: path.join(dir, 'log.txt'),
    controlPrefix: path.join(dir, path.basename(array.controlPrefix!)),
    jobName: `${array.jobName}-s${index}`,
    shard: index,
  };
}

// Why a shard's run cannot be accepted, or undefined when it can: exited 0, its declared outputs exist inside its
// folder, its metrics.json (if any) is valid.
function judgeShard(execution: StageExecution, outputs: Record<string, string>, out: string): string | undefined {
  if (!execution.ok) return describe(execution);
  const missing = Object.entries(outputs).filter(([, rel]) => !existsSync(path.join(out, rel)));
  if (missing.length > 0)
    return `exited 0 but declared outputs are missing in ${out}: ${missing.map(([name, rel]) => `${name} (${rel})`).join(', ')}`;
  const escaping = Object.values(outputs)
    .map((rel) => escapingPath(out, rel))
    .find(Boolean);
  if (escaping) return `exited 0 but an output leaves its folder: ${escaping}`;
  const metrics = readMetrics(path.join(out, 'metrics.json'));
  return metrics.ok ? undefined : metrics.reason;
}

// One sentence for how a shard's process ended (as describeExecution does for a stage).
function describe(execution: StageExecution): string {
  if (execution.error) return execution.error;
  if (execution.canceled) return 'canceled';
  if (execution.timedOut) return `stopped after its time limit (${Math.round(execution.durationMs / 1000)}s)`;
  if (execution.signal) return `killed by ${execution.signal}`;
  return `exited with code ${execution.exitCode}`;
}

// A shard's output folder ({{ out }} and LOOP_OUT for that shard).
function shardOut(stageDir: string, index: number): string {
  return path.join(shardDir(stageDir, index), 'out');
}

// Written once a shard's run was accepted: later attempts and restarted controllers skip it.
function doneFile(stageDir: string, index: number): string {
  return path.join(shardDir(stageDir, index), 'done');
}

// What a shard ran, for telling whether a shard done earlier ran what it would run now: its argument list and
// environment (with attempt 1, so that retries of the same stage match). The trackers' grouping variables
// (WANDB_*, MLFLOW_*: a child run's id exists only while MLflow answers) say nothing about the work.
function fingerprint(job: ShardJob): string {
  const env = Object.fromEntries(Object.entries(job.env).filter(([key]) => !/^(WANDB|MLFLOW)_/.test(key)));
  return createHash('sha256')
    .update(JSON.stringify([job.argv, env, job.cwd]))
    .digest('hex');
}

// The fingerprint recorded in a shard's done file, or undefined while it is not done.
function readDone(stageDir: string, index: number): string | undefined {
  try {
    return (JSON.parse(readFileSync(doneFile(stageDir, index), 'utf8')) as { fingerprint?: string }).fingerprint;
  } catch {
    return undefined;
  }
}
