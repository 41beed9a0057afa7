import { describe, expect, it } from 'vitest';
import type { Executor, ShardJob, StageExecution, StageJob } from '../../../src/executors/executor.ts';
import { defaultParallelism, runShards } from '../../../src/executors/shards/run-shards.ts';

const done = (ok: boolean): StageExecution => ({
  ok,
  exitCode: ok ? 0 : 1,
  signal: null,
  timedOut: false,
  canceled: false,
  durationMs: 1,
  pid: 1,
  startedAt: '',
  endedAt: '',
});
const base: StageJob = { argv: ['true'], cwd: '/', env: {}, logFile: '/dev/null', resources: { gpus: 0, cpus: 2 } };
const shardJobs = (n: number): ShardJob[] => Array.from({ length: n }, (_, shard) => ({ ...base, shard }));

describe('running the shards of an executor without job arrays', () => {
  it('runs at most `parallel` at once and gives outcomes in shard order', async () => {
    let running = 0;
    let peak = 0;
    const executor: Executor = {
      kind: 'local',
      run: async (job) => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 20 - (job as ShardJob).shard * 3));
        running--;
        return done((job as ShardJob).shard !== 2);
      },
    };
    const results = await runShards(executor, base, shardJobs(5), { count: 5, parallel: 2 });
    expect(peak).toBe(2);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true, true]);
  });

  it('after a restart re-attaches each shard that had started and runs only the others', async () => {
    const ran: number[] = [];
    const prepared: number[] = [];
    const executor: Executor = {
      kind: 'ssh',
      run: async (job) => (ran.push((job as ShardJob).shard), done(true)),
      reattach: async (job) => ((job as ShardJob).shard === 1 ? undefined : done(true)),
    };
    await runShards(executor, base, shardJobs(3), {
      count: 3,
      resumeFrom: new Date().toISOString(),
      prepare: (s) => prepared.push(s.shard),
    });
    expect(ran).toEqual([1]);
    expect(prepared).toEqual([1]);
  });

  it("by default runs locally as many shards as the cores allow at the stage's cpus, and all of them over SSH", () => {
    expect(defaultParallelism('local', { resources: { gpus: 0, cpus: 2 } }, 8)).toBe(4);
    expect(defaultParallelism('local', { resources: { gpus: 0, cpus: 16 } }, 8)).toBe(1);
    expect(defaultParallelism('ssh', { resources: { gpus: 0, cpus: 16 } }, 8)).toBe(Number.POSITIVE_INFINITY);
  });
});
