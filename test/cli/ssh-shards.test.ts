import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { useFixtures } from '../helpers/fixture-run.ts';
import { expectedSamples, makeShardFixture } from '../helpers/shard-fixture.ts';
import { runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { sshdAvailable, sshOverrides } from '../support/sshd.ts';

useFixtures();

describeWith('a sharded stage over SSH', sshdAvailable(), () => {
  it('runs each shard as its own detached process on the host; the failed one alone again; outputs merged in order', {
    timeout: 180_000,
  }, async () => {
    const f = makeShardFixture({ shards: 3, failShard: 0 });
    const ran = runCli(['run', 'recipe.yaml', '--name', 'h', ...sshOverrides()], { cwd: f.dir, timeoutMs: 150_000 });
    expect(ran.code, ran.stderr).toBe(0);
    const stageDir = path.join(f.dir, '.loop/runs/h/iterations/0/train_sft');
    expect(readFileSync(path.join(f.dir, 'shard-calls.txt'), 'utf8').trim().split('\n').sort()).toEqual(['0:1', '0:2', '1:1', '2:1']);
    expect(readFileSync(path.join(stageDir, 'out/samples.jsonl'), 'utf8')).toBe(expectedSamples(3));
    expect(readFileSync(path.join(stageDir, 'shards/0/attempt-2.exit'), 'utf8').trim()).toBe('0');
    expect(readFileSync(path.join(stageDir, 'shards/0/log.txt'), 'utf8')).toContain('shard 0 fails this time');
    expect(JSON.parse(readFileSync(path.join(stageDir, 'status.json'), 'utf8'))).toMatchObject({
      status: 'succeeded',
      executor: 'ssh',
      attempt: 2,
    });
  });
});
