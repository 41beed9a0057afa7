import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { attemptName } from '../../src/executors/attempt-name.ts';
import { runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { slurmAvailable, slurmJobs } from '../support/slurm.ts';
import { sshdAvailable, sshTarget } from '../support/sshd.ts';
import { stageFolders } from '../helpers/stage-folders.ts';
import { isCostMetric } from '../../src/metrics/cost-metrics.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-slurm-login-'));
const workdir = mkdtempSync(path.join(tmpdir(), 'loop-slurm-login-host-'));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(workdir, { recursive: true, force: true });
});

// A PATH without Slurm's commands (every other program of /usr/bin linked in): the controller can only reach Slurm
// through the login node, as on a machine outside the cluster.
const SLURM_COMMANDS = new Set([
  'sacct',
  'sacctmgr',
  'salloc',
  'sattach',
  'sbatch',
  'sbcast',
  'scancel',
  'scontrol',
  'scrontab',
  'sdiag',
  'sinfo',
  'sprio',
  'squeue',
  'sreport',
  'srun',
  'sshare',
  'sstat',
  'strigger',
  'sview',
]);
const bin = path.join(home, 'bin');
mkdirSync(bin);
for (const name of readdirSync('/usr/bin')) if (!SLURM_COMMANDS.has(name)) symlinkSync(path.join('/usr/bin', name), path.join(bin, name));
const NO_SLURM = { PATH: `${bin}:/usr/local/bin` };

// The overrides that send a recipe to Slurm through the test sshd as its login node.
function loginOverrides(): string[] {
  const t = sshTarget();
  return [
    'executor.kind=slurm',
    `executor.login_host=${t.host}:${t.port}`,
    `executor.login_options=[IdentityFile=${t.identityFile}, ${t.options.join(', ')}]`,
  ].flatMap((s) => ['--set', s]);
}

// Every stage of a run: status, attempts, and the Slurm job name it was submitted under.
function stages(name: string): Array<{ where: string; status: string; attempts: number; job: string }> {
  const runDir = path.join(home, 'runs', name);
  return readdirSync(path.join(runDir, 'iterations')).flatMap((it) =>
    stageFolders(path.join(runDir, 'iterations', it)).map((stage) => {
      const record = JSON.parse(readFileSync(path.join(runDir, 'iterations', it, stage, 'status.json'), 'utf8'));
      const job = attemptName({ run: name, runRoot: runDir, iteration: Number(it), stage, attempt: 1 });
      return { where: `${it}/${stage}`, status: record.status, attempts: record.attempts.length, job };
    }),
  );
}

const available = slurmAvailable() === true ? sshdAvailable() : slurmAvailable();

describeWith('Slurm through a login node reached over ssh', available, () => {
  it('shared filesystem: sbatch, scontrol and squeue run on the login node; one job per stage', { timeout: 300_000 }, () => {
    expect(
      runCli(['run', RECIPE, '--set', 'executor.kind=slurm', '--name', 'x', '--home', home], { cwd: home, env: NO_SLURM }).stderr,
    ).toContain("Slurm's sbatch is not on PATH here; install the Slurm client or set executor.login_host");
    const result = runCli(['run', RECIPE, ...loginOverrides(), '--set', 'until.max_iterations=0', '--name', 'a', '--home', home], {
      cwd: home,
      env: NO_SLURM,
      timeoutMs: 280_000,
    });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const runs = stages('a');
    expect(runs.map((r) => r.where).sort()).toEqual(['0/eval', '0/train_sft']);
    const jobs = slurmJobs();
    for (const r of runs) {
      expect([r.status, r.attempts], r.where).toEqual(['succeeded', 1]);
      expect(
        jobs.filter((j) => j.name === r.job).map((j) => j.state),
        r.where,
      ).toEqual(['COMPLETED']);
    }
  });

  // Iteration 0 (train_sft, then eval reading its model) keeps CI short; the SSH test covers a whole iteration.
  it('no shared filesystem: inputs and outputs go through the login node, the same metrics as locally', { timeout: 400_000 }, () => {
    const common = ['--set', 'until.max_iterations=0', '--home', home];
    const overrides = [...loginOverrides(), '--set', 'executor.shared_filesystem=false', '--set', `executor.workdir=${workdir}`];
    const result = runCli(['run', RECIPE, ...overrides, '--name', 'b', ...common], { cwd: home, env: NO_SLURM, timeoutMs: 380_000 });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const local = runCli(['run', RECIPE, '--name', 'l', ...common], { cwd: home, timeoutMs: 120_000 });
    expect(local.code, local.stderr).toBe(0);
    const report = (name: string) => JSON.parse(runCli(['status', name, '--json', '--home', home], { cwd: home }).stdout);
    const metrics = (name: string) =>
      report(name).iterations.map((it: { metrics: Record<string, number> }) =>
        Object.fromEntries(Object.entries(it.metrics).filter(([k]) => !isCostMetric(k))),
      );
    expect(metrics('b')).toEqual(metrics('l'));
    // Command stages were Slurm jobs whose files live under the working directory; built-in kinds ran here.
    const jobs = slurmJobs();
    const runDir = path.join(home, 'runs/b');
    expect(
      stages('b')
        .map((r) => r.where)
        .sort(),
    ).toEqual(['0/eval', '0/train_sft']);
    for (const r of stages('b')) {
      expect([r.status, r.attempts], r.where).toEqual(['succeeded', 1]);
      const builtin = r.where.endsWith('/grade') || r.where.endsWith('/select');
      expect(
        jobs.filter((j) => j.name === r.job).map((j) => j.state),
        r.where,
      ).toEqual(builtin ? [] : ['COMPLETED']);
      if (!builtin) {
        const script = readFileSync(path.join(runDir, 'iterations', r.where, 'attempt-1.sbatch'), 'utf8');
        expect(script, r.where).toContain(`#SBATCH --chdir=${workdir}${path.dirname(RECIPE)}\n`);
        expect(readFileSync(path.join(workdir, runDir, 'iterations', r.where, 'attempt-1.exit'), 'utf8').trim(), r.where).toBe('0');
      }
    }
  });
});
