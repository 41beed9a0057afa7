import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import type { ShardJob, StageJob } from '../../../src/executors/executor.ts';
import type { ExecutorSpec } from '../../../src/recipe/types.ts';
import { createSlurmExecutor } from '../../../src/executors/slurm/run-slurm.ts';
import { arrayBatchScript } from '../../../src/executors/slurm/array-script.ts';
import { shardDir } from '../../../src/executors/shards/shard-paths.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { slurmAvailable } from '../../support/slurm.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-slurm-array-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const executor = createSlurmExecutor({ firstPollMs: 100, maxPollMs: 1000 });
const SPEC: Extract<ExecutorSpec, { kind: 'slurm' }> = { kind: 'slurm', sbatchArgs: [], setup: [], sharedFilesystem: true };
let counter = 0;

// One attempt of a sharded stage in its own folder: the array-level job and `count` shards running `script`.
function arrayJob(script: string, count: number, extra: Partial<StageJob> = {}): { array: StageJob; shards: ShardJob[] } {
  const stageDir = path.join(dir, `stage-${++counter}`);
  mkdirSync(stageDir, { recursive: true });
  const array: StageJob = {
    argv: ['true'],
    cwd: dir,
    env: {},
    logFile: path.join(stageDir, 'log.txt'),
    controlPrefix: path.join(stageDir, 'attempt-1'),
    executor: SPEC,
    resources: { gpus: 0, cpus: 1 },
    jobName: `loop-test-${path.basename(dir)}-${counter}`,
    ...extra,
  };
  const shards = Array.from({ length: count }, (_, shard): ShardJob => {
    const folder = shardDir(stageDir, shard);
    mkdirSync(folder, { recursive: true });
    return {
      ...array,
      argv: ['bash', '-c', script],
      env: { LOOP_SHARD_INDEX: String(shard) },
      logFile: path.join(folder, 'log.txt'),
      controlPrefix: path.join(folder, 'attempt-1'),
      shard,
    };
  });
  return { array, shards };
}

// The tasks Slurm remembers of arrays of this name: "ARRAY_ID TASK STATE".
function tasksNamed(name: string): string[] {
  const listed = spawnSync('squeue', ['-h', '--states=all', `--name=${name}`, '-o', '%F %K %T'], { encoding: 'utf8' });
  return listed.stdout.trim().split('\n').filter(Boolean).sort();
}

describeWith('Slurm job arrays for sharded stages', slurmAvailable(), () => {
  it('runs the shards as one array: each task its own outcome and log', { timeout: 60_000 }, async () => {
    const { array, shards } = arrayJob(
      'echo "shard $LOOP_SHARD_INDEX task $SLURM_ARRAY_TASK_ID"; [ "$LOOP_SHARD_INDEX" != 1 ] || exit 4',
      3,
    );
    const results = await executor.runShards(array, shards, { count: 3 });
    expect(results.map((r) => [r.ok, r.exitCode])).toEqual([
      [true, 0],
      [false, 4],
      [true, 0],
    ]);
    const tasks = tasksNamed(array.jobName!);
    expect(tasks.map((t) => t.split(' ').slice(1).join(' '))).toEqual(['0 COMPLETED', '1 FAILED', '2 COMPLETED']);
    expect(new Set(tasks.map((t) => t.split(' ')[0])).size).toBe(1);
    expect(readFileSync(shards[2]!.logFile, 'utf8')).toContain('shard 2 task 2\n');
    expect(readFileSync(`${array.controlPrefix}.sbatch`, 'utf8')).toContain('#SBATCH --array=0-2\n');
  });

  it('submits only the shards given, throttled by parallel_shards', { timeout: 60_000 }, async () => {
    const { array, shards } = arrayJob('echo "shard $LOOP_SHARD_INDEX"', 5);
    const results = await executor.runShards(array, [shards[1]!, shards[3]!, shards[4]!], { count: 5, parallel: 1 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(readFileSync(`${array.controlPrefix}.sbatch`, 'utf8')).toContain('#SBATCH --array=1,3-4%1\n');
    expect(tasksNamed(array.jobName!).map((t) => t.split(' ').slice(1).join(' '))).toEqual(['1 COMPLETED', '3 COMPLETED', '4 COMPLETED']);
    expect(existsSync(shards[0]!.logFile)).toBe(false);
  });

  it('after a controller crash between sbatch and recording the id, finds the array by name and never submits it twice', {
    timeout: 60_000,
  }, async () => {
    const { array, shards } = arrayJob('sleep 1; echo "shard $LOOP_SHARD_INDEX"', 2);
    // The crashed controller: "submitting" recorded, the array submitted, its id never written.
    appendFileSync(`${array.controlPrefix}.jobid`, 'submitting\n');
    const submitted = spawnSync('sbatch', ['--parsable'], {
      input: arrayBatchScript(array, shards, SPEC, array.jobName!),
      encoding: 'utf8',
    });
    const id = submitted.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    const results = await executor.runShards(array, shards, { count: 2, resumeFrom: new Date().toISOString() });
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(readFileSync(`${array.controlPrefix}.jobid`, 'utf8')).toBe(`submitting\n${id}\n`);
    expect(tasksNamed(array.jobName!)).toEqual([`${id} 0 COMPLETED`, `${id} 1 COMPLETED`]);
  });

  it('cancels every task with scancel when the stage is cancelled (pause --now, stop)', { timeout: 60_000 }, async () => {
    const { array, shards } = arrayJob('sleep 60', 2);
    const controller = new AbortController();
    const running = executor.runShards(
      { ...array, signal: controller.signal },
      shards.map((s) => ({ ...s, signal: controller.signal })),
      { count: 2 },
    );
    for (let i = 0; i < 300 && !shards.every((s) => existsSync(`${s.controlPrefix}.starts`)); i++) await sleep(100);
    controller.abort();
    const results = await running;
    expect(results.map((r) => [r.ok, r.canceled])).toEqual([
      [false, true],
      [false, true],
    ]);
    expect(tasksNamed(array.jobName!).map((t) => t.split(' ').slice(1).join(' '))).toEqual(['0 CANCELLED', '1 CANCELLED']);
  });

  it("stops the array past the stage's time limit: every unfinished task timed out", { timeout: 60_000 }, async () => {
    const { array, shards } = arrayJob('[ "$LOOP_SHARD_INDEX" = 0 ] || sleep 60', 2, { timeoutSeconds: 3 });
    const results = await executor.runShards(array, shards, { count: 2 });
    expect(results.map((r) => [r.ok, r.timedOut])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('after Slurm forgot the array (MinJobAge, accounting off), each shard keeps the exit status its wrapper recorded', {
    timeout: 60_000,
  }, async () => {
    const { array, shards } = arrayJob('[ "$LOOP_SHARD_INDEX" != 1 ] || exit 4', 3);
    expect((await executor.runShards(array, shards, { count: 3 })).map((r) => r.exitCode)).toEqual([0, 4, 0]);
    // The controller comes back to an array id Slurm does not know (here: one it never issued); shard 2's wrapper
    // never recorded its end (killed with its node).
    writeFileSync(`${array.controlPrefix}.jobid`, '999999999\n');
    rmSync(`${shards[2]!.controlPrefix}.exit`);
    const results = await executor.runShards(array, shards, { count: 3, resumeFrom: new Date().toISOString() });
    expect(results.map((r) => [r.ok, r.exitCode])).toEqual([
      [true, 0],
      [false, 4],
      [false, null],
    ]);
    expect(results[2]!.error).toBe(
      `Slurm no longer knows task 999999999_2 and it left no exit status in ${shards[2]!.controlPrefix}.exit (killed before it ended?)`,
    );
  });

  it('re-attaches to nothing when no array of the attempt was ever submitted: it submits one', { timeout: 60_000 }, async () => {
    const { array, shards } = arrayJob('true', 1);
    const results = await executor.runShards(array, shards, { count: 1, resumeFrom: new Date().toISOString() });
    expect(results[0]!.ok).toBe(true);
    expect(tasksNamed(array.jobName!)).toHaveLength(1);
  });
});
