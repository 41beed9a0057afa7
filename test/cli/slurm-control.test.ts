import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { attemptName } from '../../src/executors/attempt-name.ts';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';
import { runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { slurmAvailable, slurmJobs } from '../support/slurm.ts';

const fixture = useFixtures();
const status = (cwd: string, name: string) => JSON.parse(runCli(['status', name, '--json'], { cwd }).stdout);

describeWith('steering a run on Slurm', slurmAvailable(), () => {
  it('pause --now cancels the Slurm job; resume submits the attempt again; a failed attempt is resubmitted under the retry policy', {
    timeout: 180_000,
  }, async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0, stageExtra: { eval: '    retry: { attempts: 2 }\n' } }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '120');
    writeFileSync(path.join(f.dir, 'fail-first-eval'), '');
    const started = runCli(['run', 'recipe.yaml', '--name', 'p', '--detach', '--set', 'executor.kind=slurm'], { cwd: f.dir });
    expect(started.code, started.stderr).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/p');
    const name = (stage: string, attempt: number) => attemptName({ run: 'p', runRoot: runDir, iteration: 0, stage, attempt });
    const jobs = (stage: string, attempt = 1) => slurmJobs().filter((j) => j.name === name(stage, attempt));
    for (let i = 0; i < 1200 && !(jobs('train_sft')[0]?.state === 'RUNNING' && f.calls().includes('0:train_sft')); i++) await sleep(50);

    const paused = runCli(['pause', 'p', '--now'], { cwd: f.dir });
    expect(paused.code, paused.stderr).toBe(0);
    expect(status(f.dir, 'p')).toMatchObject({ status: 'paused', stage: 'train_sft' });
    expect(jobs('train_sft').map((j) => j.state)).toEqual(['CANCELLED']);

    rmSync(path.join(f.dir, 'sleep-train_sft'));
    const resumed = runCli(['resume', 'p'], { cwd: f.dir, timeoutMs: 120_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(status(f.dir, 'p').status).toBe('succeeded');
    expect(jobs('train_sft').map((j) => j.state)).toEqual(['CANCELLED', 'COMPLETED']);
    expect(jobs('eval', 1).map((j) => j.state)).toEqual(['FAILED']);
    expect(jobs('eval', 2).map((j) => j.state)).toEqual(['COMPLETED']);
    const evalDir = path.join(runDir, 'iterations/0/eval');
    expect(readFileSync(path.join(evalDir, 'log.txt'), 'utf8')).toContain('=== loop: attempt 1 failed: exited with code 1');
    expect(existsSync(path.join(evalDir, 'attempt-2.sbatch'))).toBe(true);
    // The recipe's hostile variable reached the stage through the batch script unchanged.
    expect(readFileSync(path.join(runDir, 'iterations/0/train_sft/out/args.txt'), 'utf8')).toContain(
      `; rm -rf / $(touch pwned) 'q' "dq" two  spaces`,
    );
    expect(existsSync(path.join(f.dir, 'pwned'))).toBe(false);
  });

  it('loop stop of a run whose controller was killed cancels its Slurm job', { timeout: 120_000 }, async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '120');
    expect(runCli(['run', 'recipe.yaml', '--name', 'k', '--detach', '--set', 'executor.kind=slurm'], { cwd: f.dir }).code).toBe(0);
    const runDir = path.join(f.dir, '.loop/runs/k');
    const name = attemptName({ run: 'k', runRoot: runDir, iteration: 0, stage: 'train_sft', attempt: 1 });
    const jobs = () => slurmJobs().filter((j) => j.name === name);
    for (let i = 0; i < 1200 && !(jobs()[0]?.state === 'RUNNING' && f.calls().includes('0:train_sft')); i++) await sleep(50);
    process.kill(JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8')).controller.pid, 'SIGKILL');
    const stopped = runCli(['stop', 'k'], { cwd: f.dir });
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(status(f.dir, 'k').status).toBe('stopped');
    expect(jobs().map((j) => j.state)).toEqual(['CANCELLED']);
  });
});
