import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { attemptName } from '../../src/executors/attempt-name.ts';
import { useFixtures } from '../helpers/fixture-run.ts';
import { expectedSamples, makeShardFixture } from '../helpers/shard-fixture.ts';
import { runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { slurmAvailable } from '../support/slurm.ts';

useFixtures();

// Every task Slurm remembers of arrays with this name: "ARRAY_ID TASK STATE", one per task.
function arrayTasks(name: string): Array<{ array: string; task: string; state: string }> {
  const listed = spawnSync('squeue', ['-h', '--states=all', `--name=${name}`, '-o', '%F %K %T'], { encoding: 'utf8' });
  return listed.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [array, task, state] = line.trim().split(/\s+/);
      return { array: array!, task: task!, state: state! };
    })
    .sort((a, b) => Number(a.task) - Number(b.task));
}

describeWith('a sharded stage on Slurm', slurmAvailable(), () => {
  it('runs one job array; a failed task alone is resubmitted; outputs merged in shard order', { timeout: 180_000 }, async () => {
    const f = makeShardFixture({ shards: 4, failShard: 2 });
    const ran = runCli(['run', 'recipe.yaml', '--name', 'sh', '--set', 'executor.kind=slurm'], { cwd: f.dir, timeoutMs: 150_000 });
    expect(ran.code, ran.stderr).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/sh');
    const stageDir = path.join(runDir, 'iterations/0/train_sft');
    const name = (attempt: number) => attemptName({ run: 'sh', runRoot: runDir, iteration: 0, stage: 'train_sft', attempt });

    // Attempt 1: one array of four tasks, task 2 failed; attempt 2: an array of task 2 alone. Nothing else.
    const first = arrayTasks(name(1));
    expect(first.map((t) => `${t.task} ${t.state}`)).toEqual(['0 COMPLETED', '1 COMPLETED', '2 FAILED', '3 COMPLETED']);
    expect(new Set(first.map((t) => t.array)).size).toBe(1);
    const second = arrayTasks(name(2));
    expect(second.map((t) => `${t.task} ${t.state}`)).toEqual(['2 COMPLETED']);
    expect(arrayTasks(name(3))).toEqual([]);
    expect(readFileSync(path.join(stageDir, 'attempt-1.sbatch'), 'utf8')).toContain('#SBATCH --array=0-3\n');
    expect(readFileSync(path.join(stageDir, 'attempt-2.sbatch'), 'utf8')).toContain('#SBATCH --array=2\n');
    expect(readFileSync(path.join(stageDir, 'attempt-1.jobid'), 'utf8')).toBe(`submitting\n${first[0]!.array}\n`);
    expect(readFileSync(path.join(stageDir, 'attempt-2.jobid'), 'utf8')).toBe(`submitting\n${second[0]!.array}\n`);
    const calls = readFileSync(path.join(f.dir, 'shard-calls.txt'), 'utf8').trim().split('\n').sort();
    expect(calls).toEqual(['0:1', '1:1', '2:1', '2:2', '3:1']);

    // Each task logged into its own shard folder, seeing its index as LOOP_SHARD_INDEX and SLURM_ARRAY_TASK_ID.
    const log2 = readFileSync(path.join(stageDir, 'shards/2/log.txt'), 'utf8');
    expect(log2).toContain(`=== slurm: job ${first[0]!.array}_2 on`);
    expect(log2).toContain('shard 2 of 4 (slurm task 2) attempt 1');
    expect(log2).toContain('shard 2 fails this time');
    expect(log2).toContain(`=== slurm: job ${second[0]!.array}_2 on`);
    expect(readFileSync(path.join(stageDir, 'shards/3/log.txt'), 'utf8')).toContain('shard 3 of 4 (slurm task 3) attempt 1');
    expect(existsSync(path.join(stageDir, 'shards/0/attempt-2.starts'))).toBe(false);

    const out = path.join(stageDir, 'out');
    expect(readFileSync(path.join(out, 'samples.jsonl'), 'utf8')).toBe(expectedSamples(4));
    const record = JSON.parse(readFileSync(path.join(stageDir, 'status.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'succeeded', attempt: 2, executor: 'slurm' });
    expect(record.outputs.artifact.bytes).toBe(Buffer.byteLength(expectedSamples(4)));
    expect(record.attempts[0].reason).toMatch(/^1 of 4 shards failed \(shard 2: exited with code 5\)$/);
  });

  it('kill -9 of the controller while the array runs: resume re-attaches to it and submits nothing again', {
    timeout: 180_000,
  }, async () => {
    const f = makeShardFixture({ shards: 3 });
    writeFileSync(path.join(f.dir, 'sleep-shard'), '6');
    expect(runCli(['run', 'recipe.yaml', '--name', 'k', '--detach', '--set', 'executor.kind=slurm'], { cwd: f.dir }).code).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/k');
    const stageDir = path.join(runDir, 'iterations/0/train_sft');
    const started = () => [0, 1, 2].every((s) => existsSync(path.join(stageDir, `shards/${s}/attempt-1.starts`)));
    for (let i = 0; i < 1200 && !started(); i++) await sleep(50);
    expect(started()).toBe(true);
    expect(existsSync(path.join(stageDir, 'shards/0/attempt-1.exit')), 'the shards ended before the kill').toBe(false);
    process.kill(JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8')).controller.pid, 'SIGKILL');

    const resumed = runCli(['resume', 'k'], { cwd: f.dir, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const name = (attempt: number) => attemptName({ run: 'k', runRoot: runDir, iteration: 0, stage: 'train_sft', attempt });
    const tasks = arrayTasks(name(1));
    expect(tasks.map((t) => `${t.task} ${t.state}`)).toEqual(['0 COMPLETED', '1 COMPLETED', '2 COMPLETED']);
    expect(new Set(tasks.map((t) => t.array)).size).toBe(1);
    expect(arrayTasks(name(2))).toEqual([]);
    expect(readFileSync(path.join(stageDir, 'log.txt'), 'utf8')).toContain(
      `=== loop: following Slurm job array ${tasks[0]!.array} (${name(1)}) again`,
    );
    for (const s of [0, 1, 2])
      expect(
        readFileSync(path.join(stageDir, `shards/${s}/attempt-1.starts`), 'utf8')
          .trim()
          .split('\n'),
      ).toHaveLength(1);
    expect(readFileSync(path.join(stageDir, 'out/samples.jsonl'), 'utf8')).toBe(expectedSamples(3));
  });

  it('pause --now cancels every task of the array; resume submits the attempt again', { timeout: 180_000 }, async () => {
    const f = makeShardFixture({ shards: 2 });
    writeFileSync(path.join(f.dir, 'sleep-shard'), '120');
    expect(runCli(['run', 'recipe.yaml', '--name', 'p', '--detach', '--set', 'executor.kind=slurm'], { cwd: f.dir }).code).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/p');
    const stageDir = path.join(runDir, 'iterations/0/train_sft');
    const name = attemptName({ run: 'p', runRoot: runDir, iteration: 0, stage: 'train_sft', attempt: 1 });
    const started = () => [0, 1].every((s) => existsSync(path.join(stageDir, `shards/${s}/attempt-1.starts`)));
    for (let i = 0; i < 1200 && !started(); i++) await sleep(50);
    const paused = runCli(['pause', 'p', '--now'], { cwd: f.dir });
    expect(paused.code, paused.stderr).toBe(0);
    expect(arrayTasks(name).map((t) => `${t.task} ${t.state}`)).toEqual(['0 CANCELLED', '1 CANCELLED']);

    rmSync(path.join(f.dir, 'sleep-shard'));
    const resumed = runCli(['resume', 'p'], { cwd: f.dir, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const tasks = arrayTasks(name);
    expect(tasks.map((t) => `${t.task} ${t.state}`).sort()).toEqual(['0 CANCELLED', '0 COMPLETED', '1 CANCELLED', '1 COMPLETED']);
    expect(new Set(tasks.map((t) => t.array)).size).toBe(2);
    expect(readFileSync(path.join(stageDir, 'out/samples.jsonl'), 'utf8')).toBe(expectedSamples(2));
  });
});
