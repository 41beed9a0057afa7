import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useFixtures } from '../helpers/fixture-run.ts';
import { expectedSamples, makeShardFixture } from '../helpers/shard-fixture.ts';
import { runCli } from '../helpers/run-cli.ts';

useFixtures();

describe('sharded stages through the CLI, locally', () => {
  it('loop plan shows the shards and how many run at once', () => {
    const f = makeShardFixture({ shards: 4, parallel: 2 });
    const plan = runCli(['plan', 'recipe.yaml'], { cwd: f.dir });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/train_sft .*local · 1 CPU · 2 attempts · 4 shards \(2 at once\)/);
    const json = JSON.parse(runCli(['plan', 'recipe.yaml', '--json'], { cwd: f.dir }).stdout);
    expect(json.stages.find((s: { name: string }) => s.name === 'train_sft')).toMatchObject({ shards: 4, parallelShards: 2 });
    expect(json.stages.find((s: { name: string }) => s.name === 'eval').shards).toBeUndefined();
  });

  it('kill -9 of the controller while shards run: resume collects each shard and starts none twice', { timeout: 120_000 }, async () => {
    const f = makeShardFixture({ shards: 3 });
    writeFileSync(path.join(f.dir, 'sleep-shard'), '3');
    expect(runCli(['run', 'recipe.yaml', '--name', 'k', '--detach'], { cwd: f.dir }).code).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/k');
    const stageDir = path.join(runDir, 'iterations/0/train_sft');
    const started = () => [0, 1, 2].every((s) => existsSync(path.join(stageDir, `shards/${s}/attempt-1.starts`)));
    for (let i = 0; i < 1200 && !started(); i++) await sleep(50);
    expect(started()).toBe(true);
    process.kill(JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8')).controller.pid, 'SIGKILL');

    const resumed = runCli(['resume', 'k'], { cwd: f.dir, timeoutMs: 60_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(path.join(f.dir, 'shard-calls.txt'), 'utf8').trim().split('\n').sort()).toEqual(['0:1', '1:1', '2:1']);
    for (const s of [0, 1, 2])
      expect(
        readFileSync(path.join(stageDir, `shards/${s}/attempt-1.starts`), 'utf8')
          .trim()
          .split('\n'),
      ).toHaveLength(1);
    expect(readFileSync(path.join(stageDir, 'log.txt'), 'utf8')).toContain(
      '=== loop: controller restarted; re-attaching to the shards of attempt 1',
    );
    expect(readFileSync(path.join(stageDir, 'out/samples.jsonl'), 'utf8')).toBe(expectedSamples(3));
  });
});
