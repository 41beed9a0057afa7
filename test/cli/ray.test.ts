import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { attemptName } from '../../src/executors/attempt-name.ts';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';
import { expectedSamples, makeShardFixture } from '../helpers/shard-fixture.ts';
import { stageFolders } from '../helpers/stage-folders.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { holdRayCluster, RAY_ADDRESS, RAY_BIN, rayAvailable, rayJobs } from '../support/ray.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-ray-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const fixture = useFixtures();
const ray = ['--set', 'executor.kind=ray', '--set', `executor.address=${RAY_ADDRESS}`];
const status = (cwd: string, name: string) => JSON.parse(runCli(['status', name, '--json'], { cwd }).stdout);
// The Ray jobs of one attempt (its first job and any later -rN), oldest first, as "STATUS".
const jobsOf = async (name: string) =>
  (await rayJobs())
    .filter((j) => j.submissionId === name || j.submissionId.startsWith(`${name}-r`))
    .sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0));
const until = async (what: () => boolean | Promise<boolean>, ms = 60_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await what()) return;
  throw new Error(`timed out waiting for ${what.toString()}`);
};
// eval's metrics per iteration of a run folder.
const evalMetrics = (runDir: string) =>
  readdirSync(path.join(runDir, 'iterations'))
    .sort()
    .map((it) => JSON.parse(readFileSync(path.join(runDir, 'iterations', it, 'eval/status.json'), 'utf8')).metrics);

describeWith('loop on a real Ray cluster', rayAvailable(), () => {
  holdRayCluster();

  it('the quickstart: the same metrics as a local run, kill -9 of the controller mid-job and resume, one Ray job per stage run', {
    timeout: 300_000,
  }, async () => {
    const args = (name: string, ...more: string[]) => [
      'run',
      RECIPE,
      '--set',
      'until.max_iterations=1',
      '--name',
      name,
      '--home',
      home,
      ...more,
    ];
    const local = runCli(args('l'), { cwd: home, timeoutMs: 120_000 });
    expect(local.code, local.stderr).toBe(0);

    const runDir = path.join(home, 'runs/r');
    const child = spawn(process.execPath, [LOOP_BIN, ...args('r', ...ray)], {
      cwd: home,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill the controller while iteration 1's select runs as a Ray job (submitted, not ended).
    const selectDir = path.join(runDir, 'iterations/1/select');
    await until(
      () => existsSync(`${selectDir}/attempt-1.rayjob`) && readFileSync(`${selectDir}/attempt-1.rayjob`, 'utf8').includes('submitted '),
      180_000,
    );
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(`${selectDir}/attempt-1.exit`), 'select ended before the kill').toBe(false);

    const resumed = runCli(['resume', 'r', '--home', home], { cwd: home, timeoutMs: 180_000 });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(JSON.parse(runCli(['status', 'r', '--json', '--home', home], { cwd: home }).stdout).status).toBe('succeeded');
    const selectLog = readFileSync(`${selectDir}/log.txt`, 'utf8');
    expect(selectLog).toContain('=== loop: controller restarted; collected attempt 1');
    expect(selectLog.match(/^select: kept \d+ responses/gm), "the job's log copied once").toHaveLength(1);
    expect(evalMetrics(runDir)).toEqual(evalMetrics(path.join(home, 'runs/l')));

    // Ray's own job list: exactly one job per stage run, under the attempt's name, all SUCCEEDED, each started once.
    const stageRuns = readdirSync(path.join(runDir, 'iterations')).flatMap((it) =>
      stageFolders(path.join(runDir, 'iterations', it)).map((stage) => ({ it: Number(it), stage })),
    );
    expect(stageRuns).toHaveLength(2 + 8);
    const names = stageRuns.map((r) => attemptName({ run: 'r', runRoot: runDir, iteration: r.it, stage: r.stage, attempt: 1 }));
    const hash = names[0]!.slice(names[0]!.lastIndexOf('-'));
    const ours = (await rayJobs()).filter((j) => j.submissionId.endsWith(hash) && j.submissionId.startsWith('loop-r-'));
    expect(ours.map((j) => j.submissionId).sort()).toEqual([...names].sort());
    for (const j of ours) expect(j.status, j.submissionId).toBe('SUCCEEDED');
    for (const r of stageRuns) {
      const starts = readFileSync(path.join(runDir, 'iterations', String(r.it), r.stage, 'attempt-1.starts'), 'utf8')
        .trim()
        .split('\n');
      expect(starts, `${r.it}/${r.stage}`).toHaveLength(1);
    }
  });

  it('pause --now stops the Ray job and resume submits the attempt again; a failing job is retried as a new attempt', {
    timeout: 180_000,
  }, async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0, stageExtra: { eval: '    retry: { attempts: 2 }\n' } }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '120');
    writeFileSync(path.join(f.dir, 'fail-first-eval'), '');
    expect(runCli(['run', 'recipe.yaml', '--name', 'p', '--detach', ...ray], { cwd: f.dir }).code).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/p');
    const name = (stage: string, attempt: number) => attemptName({ run: 'p', runRoot: runDir, iteration: 0, stage, attempt });
    await until(async () => f.calls().includes('0:train_sft') && (await jobsOf(name('train_sft', 1)))[0]?.status === 'RUNNING');

    const paused = runCli(['pause', 'p', '--now'], { cwd: f.dir });
    expect(paused.code, paused.stderr).toBe(0);
    expect(status(f.dir, 'p')).toMatchObject({ status: 'paused', stage: 'train_sft' });
    expect((await jobsOf(name('train_sft', 1))).map((j) => j.status)).toEqual(['STOPPED']);

    rmSync(path.join(f.dir, 'sleep-train_sft'));
    const resumed = runCli(['resume', 'p'], { cwd: f.dir, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(status(f.dir, 'p').status).toBe('succeeded');
    expect((await jobsOf(name('train_sft', 1))).map((j) => [j.submissionId, j.status])).toEqual([
      [name('train_sft', 1), 'STOPPED'],
      [`${name('train_sft', 1)}-r2`, 'SUCCEEDED'],
    ]);
    expect((await jobsOf(name('eval', 1))).map((j) => j.status)).toEqual(['FAILED']);
    expect((await jobsOf(name('eval', 2))).map((j) => j.status)).toEqual(['SUCCEEDED']);
    const evalLog = readFileSync(path.join(runDir, 'iterations/0/eval/log.txt'), 'utf8');
    expect(evalLog).toContain('first attempt of eval fails');
    expect(evalLog).toContain('=== loop: attempt 1 failed: exited with code 1');
  });

  it('loop stop of a run whose controller was killed stops its Ray job', { timeout: 120_000 }, async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '120');
    expect(runCli(['run', 'recipe.yaml', '--name', 'k', '--detach', ...ray], { cwd: f.dir }).code).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/k');
    const name = attemptName({ run: 'k', runRoot: runDir, iteration: 0, stage: 'train_sft', attempt: 1 });
    await until(async () => f.calls().includes('0:train_sft') && (await jobsOf(name))[0]?.status === 'RUNNING');
    process.kill(JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8')).controller.pid, 'SIGKILL');
    const stopped = runCli(['stop', 'k'], { cwd: f.dir });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(status(f.dir, 'k').status).toBe('stopped');
    expect((await jobsOf(name)).map((j) => j.status)).toEqual(['STOPPED']);
  });

  it('a sharded stage runs each shard as its own Ray job; the failed shard alone is submitted again', { timeout: 120_000 }, async () => {
    const f = makeShardFixture({ shards: 3, failShard: 1 });
    const ran = runCli(['run', 'recipe.yaml', '--name', 'sh', ...ray], { cwd: f.dir, timeoutMs: 100_000 });
    expect(ran.code, ran.stderr).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/sh');
    const name = (attempt: number) => attemptName({ run: 'sh', runRoot: runDir, iteration: 0, stage: 'train_sft', attempt });
    const shardJobs = async (attempt: number) =>
      (await rayJobs())
        .filter((j) => j.submissionId.startsWith(`${name(attempt)}-s`))
        .map((j) => `${j.submissionId.slice(name(attempt).length)} ${j.status}`)
        .sort();
    expect(await shardJobs(1)).toEqual(['-s0 SUCCEEDED', '-s1 FAILED', '-s2 SUCCEEDED']);
    expect(await shardJobs(2)).toEqual(['-s1 SUCCEEDED']);
    expect(readFileSync(path.join(f.dir, 'shard-calls.txt'), 'utf8').trim().split('\n').sort()).toEqual(['0:1', '1:1', '1:2', '2:1']);
    const stageDir = path.join(runDir, 'iterations/0/train_sft');
    expect(readFileSync(path.join(stageDir, 'shards/1/log.txt'), 'utf8')).toContain('shard 1 fails this time');
    expect(readFileSync(path.join(stageDir, 'out/samples.jsonl'), 'utf8')).toBe(expectedSamples(3));
  });

  it('a cluster restarted under a running stage: the vanished job fails the attempt saying so, the next attempt is a new job', {
    timeout: 240_000,
  }, async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0, stageExtra: { train_sft: '    retry: { attempts: 2 }\n' } }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '120');
    expect(runCli(['run', 'recipe.yaml', '--name', 'c', '--detach', ...ray], { cwd: f.dir }).code).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/c');
    const name = (attempt: number) => attemptName({ run: 'c', runRoot: runDir, iteration: 0, stage: 'train_sft', attempt });
    await until(async () => f.calls().includes('0:train_sft') && (await jobsOf(name(1)))[0]?.status === 'RUNNING');
    rmSync(path.join(f.dir, 'sleep-train_sft'));
    expect(spawnSync(RAY_BIN, ['stop'], { encoding: 'utf8' }).status).toBe(0);
    const restarted = spawnSync('bash', ['.ci/setup/ray.sh', 'start'], { encoding: 'utf8', timeout: 120_000 });
    expect(restarted.status, restarted.stderr).toBe(0);
    await until(() => ['succeeded', 'failed'].includes(status(f.dir, 'c').status), 120_000);
    expect(status(f.dir, 'c').status).toBe('succeeded');
    const log = readFileSync(path.join(runDir, 'iterations/0/train_sft/log.txt'), 'utf8');
    expect(log).toContain(`=== loop: Ray job ${name(1)} vanished: the cluster no longer knows it`);
    expect(log).toContain('=== loop: train_sft · iteration 0 · attempt 2/2');
    expect((await jobsOf(name(1))).map((j) => j.status)).toEqual([]);
    expect((await jobsOf(name(2))).map((j) => j.status)).toEqual(['SUCCEEDED']);
  });
});
