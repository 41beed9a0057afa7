import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';
import { createRun } from '../../src/run-folder/create-run.ts';
import { startController } from '../../src/engine/controller.ts';
import { getExecutor } from '../../src/executors/registry.ts';
import { readStageRecord } from '../../src/run-folder/stage-record.ts';
import { hashOutput } from '../../src/fs/hash-output.ts';
import { makeShardFixture, expectedSamples } from '../helpers/shard-fixture.ts';
import { useFixtures } from '../helpers/fixture-run.ts';
import { runCli } from '../helpers/run-cli.ts';

useFixtures();

// Runs the fixture's recipe to its end with the local executor.
async function runToEnd(recipeFile: string, dir: string) {
  const recipe = loadRecipe(recipeFile, { checkInputs: true });
  const deps = { executorFor: getExecutor, now: () => new Date(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const { name, paths } = createRun(path.join(dir, '.loop'), recipe, readFileSync(recipeFile, 'utf8'));
  const state = await startController({ name, paths, recipe, deps }).done;
  return { state, paths, name };
}

describe('a sharded stage on the local executor', () => {
  it('runs N shards, retries only the failed one, and merges the outputs in shard order', { timeout: 60_000 }, async () => {
    const f = makeShardFixture({ shards: 4, failShard: 2, parallel: 2 });
    const { state, paths } = await runToEnd(f.recipeFile, f.dir);
    expect(state.status, JSON.stringify(state.error)).toBe('succeeded');
    const calls = readFileSync(path.join(f.dir, 'shard-calls.txt'), 'utf8').trim().split('\n').sort();
    expect(calls).toEqual(['0:1', '1:1', '2:1', '2:2', '3:1']);

    const out = paths.stageOut(0, 'train_sft');
    expect(readFileSync(path.join(out, 'samples.jsonl'), 'utf8')).toBe(expectedSamples(4));
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe([0, 1, 2, 3].map((s) => `no trailing newline ${s}\n`).join(''));
    expect(readdirSync(path.join(out, 'dir'))).toEqual(['shard-00000', 'shard-00001', 'shard-00002', 'shard-00003']);
    expect(readFileSync(path.join(out, 'dir/shard-00003/who'), 'utf8')).toBe('3\n');
    expect(JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8'))).toEqual({ count: 3 });

    const record = readStageRecord(paths.stageStatus(0, 'train_sft'))!;
    expect(record).toMatchObject({ status: 'succeeded', attempt: 2, metrics: { count: 3 } });
    expect(record.attempts[0]!.reason).toBe('1 of 4 shards failed (shard 2: exited with code 5)');
    expect(record.outputs.artifact).toEqual({
      path: path.join(out, 'samples.jsonl'),
      ...(await hashOutput(path.join(out, 'samples.jsonl'))),
    });
    expect(record.outputs.artifact!.bytes).toBe(Buffer.byteLength(expectedSamples(4)));

    // Each shard started once per attempt it was in: shard 2 twice (attempts 1 and 2), the others once.
    const stageDir = paths.stage(0, 'train_sft');
    const starts = (shard: number, attempt: number) => {
      const file = path.join(stageDir, 'shards', String(shard), `attempt-${attempt}.starts`);
      return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length : 0;
    };
    expect([0, 1, 2, 3].map((s) => [starts(s, 1), starts(s, 2)])).toEqual([
      [1, 0],
      [1, 0],
      [1, 1],
      [1, 0],
    ]);
    expect(readFileSync(path.join(stageDir, 'shards/2/log.txt'), 'utf8')).toContain('shard 2 fails this time');
    expect(readFileSync(path.join(stageDir, 'log.txt'), 'utf8')).toContain('=== loop: retrying shards 2 alone (the other 3 are done)');
    // The next stage reads the merged output through {{ train_sft.artifact }}-style paths: out/ holds it.
    expect(readStageRecord(paths.stageStatus(0, 'eval'))!.status).toBe('succeeded');
  });

  it('fails the stage when a shard keeps failing, naming the shard', { timeout: 60_000 }, async () => {
    const f = makeShardFixture({ shards: 3, failShard: 1, attempts: 1 });
    const { state, paths } = await runToEnd(f.recipeFile, f.dir);
    expect(state.status).toBe('failed');
    expect(state.error!.message).toBe('stage train_sft of iteration 0 failed: 1 of 3 shards failed (shard 1: exited with code 5)');
    expect(existsSync(path.join(paths.stageOut(0, 'train_sft'), 'samples.jsonl'))).toBe(false);
  });

  it('loop resume after the stage failed reruns only the shards not done; a changed command reruns them all', {
    timeout: 90_000,
  }, async () => {
    const f = makeShardFixture({ shards: 3, failShard: 1, attempts: 1 });
    const { state, name, paths } = await runToEnd(f.recipeFile, f.dir);
    expect(state.status).toBe('failed');
    const resumed = runCli(['resume', name], { cwd: f.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    const calls = () => readFileSync(path.join(f.dir, 'shard-calls.txt'), 'utf8').trim().split('\n').sort();
    expect(calls()).toEqual(['0:1', '1:1', '1:1', '2:1']);
    expect(readFileSync(path.join(paths.stageOut(0, 'train_sft'), 'samples.jsonl'), 'utf8')).toBe(expectedSamples(3));

    // The same recipe with another shard command, from the start: the done markers no longer match.
    const g = makeShardFixture({ shards: 2, failShard: 0, attempts: 1 });
    const first = await runToEnd(g.recipeFile, g.dir);
    expect(first.state.status).toBe('failed');
    writeFileSync(
      path.join(g.dir, 'edited.yaml'),
      readFileSync(g.recipeFile, 'utf8').replace('"{{ shard }}"]', '"{{ shard }}", "--edited"]'),
    );
    const edited = runCli(['resume', first.name, '--recipe', 'edited.yaml'], { cwd: g.dir });
    expect(edited.code, edited.stderr).toBe(0);
    expect(readFileSync(path.join(g.dir, 'shard-calls.txt'), 'utf8').trim().split('\n').sort()).toEqual(['0:1', '0:1', '1:1', '1:1']);
  });
});
