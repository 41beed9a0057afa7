import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { attemptName } from '../../src/executors/attempt-name.ts';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { slurmAvailable, slurmJobs } from '../support/slurm.ts';
import { stageFolders } from '../helpers/stage-folders.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-slurm-quickstart-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// Every stage run of a run folder: iteration, stage, and how many attempts it made and how many times it started.
function stageRuns(runDir: string): Array<{ iteration: number; stage: string; attempts: number; starts: number; status: string }> {
  const iterations = path.join(runDir, 'iterations');
  return readdirSync(iterations).flatMap((it) =>
    stageFolders(path.join(iterations, it)).map((stage) => {
      const dir = path.join(iterations, it, stage);
      const record = JSON.parse(readFileSync(path.join(dir, 'status.json'), 'utf8'));
      const starts = readFileSync(path.join(dir, 'attempt-1.starts'), 'utf8').trim().split('\n').length;
      return { iteration: Number(it), stage, attempts: record.attempts.length, starts, status: record.status };
    }),
  );
}

describeWith('the quickstart on Slurm', slurmAvailable(), () => {
  it('runs with --set executor.kind=slurm, survives kill -9 of the controller mid-stage, and submits one job per stage run', {
    timeout: 300_000,
  }, async () => {
    const runDir = path.join(home, 'runs/s');
    const args = ['run', RECIPE, '--set', 'executor.kind=slurm', '--set', 'until.max_iterations=1', '--name', 's', '--home', home];
    const child = spawn(process.execPath, [LOOP_BIN, ...args], { cwd: home, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill the controller while iteration 1's select runs as a Slurm job (its id recorded, the job not yet ended).
    const selectDir = path.join(runDir, 'iterations/1/select');
    const recordedId = () =>
      existsSync(path.join(selectDir, 'attempt-1.jobid'))
        ? readFileSync(path.join(selectDir, 'attempt-1.jobid'), 'utf8').trim().split('\n').at(-1)!
        : '';
    for (let i = 0; i < 2400 && !/^\d+$/.test(recordedId()); i++) await sleep(50);
    expect(existsSync(path.join(selectDir, 'attempt-1.exit')), 'select ended before the kill').toBe(false);
    child.kill('SIGKILL');
    await exited;
    const jobId = recordedId();
    expect(slurmJobs().find((j) => j.id === jobId)?.state).toMatch(/PENDING|RUNNING|COMPLETING|COMPLETED/);

    const resumed = runCli(['resume', 's', '--home', home], { cwd: home, timeoutMs: 240_000 });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    const status = JSON.parse(runCli(['status', 's', '--json', '--home', home], { cwd: home }).stdout);
    expect(status.status).toBe('succeeded');
    expect(readFileSync(path.join(selectDir, 'log.txt'), 'utf8')).toContain('=== loop: controller restarted; collected attempt 1');

    // Slurm shows exactly one job per stage run, under the attempt's deterministic name, and no other job of this run.
    const runs = stageRuns(runDir);
    expect(runs).toHaveLength(2 + 8);
    const names = runs.map((r) => attemptName({ run: 's', runRoot: runDir, iteration: r.iteration, stage: r.stage, attempt: 1 }));
    const suffix = names[0]!.slice(names[0]!.lastIndexOf('-'));
    const ours = slurmJobs().filter((j) => j.name.endsWith(suffix));
    expect(ours.map((j) => j.name).sort()).toEqual([...names].sort());
    for (const job of ours) expect(job.state, job.name).toBe('COMPLETED');
    for (const r of runs) expect([r.status, r.attempts, r.starts], `${r.iteration}/${r.stage}`).toEqual(['succeeded', 1, 1]);
  });
});
