import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureRecipe, type makeFixture, useFixtures } from '../helpers/fixture-run.ts';
import { runCli } from '../helpers/run-cli.ts';

const fixture = useFixtures();

describe('loop (the command)', () => {
  it.each(['run', 'resume', 'pause', 'stop', 'log', 'status', 'ls', 'plan', 'diff', 'sweep'])(
    '%s --help prints usage and exits 0',
    (command) => {
      const r = runCli([command, '--help'], { cwd: process.cwd() });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: loop ${command}`));
    },
  );

  it('lists its commands, and rejects an unknown one with exit 2', () => {
    expect(runCli(['--help'], { cwd: process.cwd() }).stdout).toContain('plan       validate a recipe');
    const r = runCli(['frobnicate'], { cwd: process.cwd() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'loop: unknown command "frobnicate"; commands: run, resume, pause, stop, status, ls, log, plan, diff, artifacts, pull, publish, ' +
        'sweep, report, data (see `loop --help`)',
    );
  });

  it('a malformed recipe: exit 3, one located line, no stack trace, no run directory', () => {
    const f = fixture(fixtureRecipe().replace('max_iterations: 2', 'max_iterations: two'));
    const r = runCli(['run', 'recipe.yaml', '--name', 'x'], { cwd: f.dir });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual(['recipe.yaml:39:19: until.max_iterations: expected a number, got "two"']);
    expect(r.stdout).toBe('');
    expect(existsSync(path.join(f.dir, '.loop'))).toBe(false);
  });

  it('a recipe naming an input that does not exist fails before any run is created', () => {
    const f = fixture(fixtureRecipe().replace('inputs: { seed_data: stage.sh }', 'inputs: { seed_data: nothere.jsonl }'));
    const r = runCli(['run', 'recipe.yaml'], { cwd: f.dir });
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(
      `recipe.yaml:6:22: inputs.seed_data: no file at ${path.join(f.dir, 'nothere.jsonl')}; fix the path (a relative path resolves ` +
        `against the recipe's folder)`,
    );
    expect(existsSync(path.join(f.dir, '.loop'))).toBe(false);
  });

  it('a bad flag is a usage error (exit 2) naming the help', () => {
    const r = runCli(['status', '--bogus'], { cwd: process.cwd() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("loop: Unknown option '--bogus'; see `loop status --help`");
  });

  it('runs a recipe, then status --json and ls --json describe it', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    const run = runCli(['run', 'recipe.yaml', '--name', 'r1'], { cwd: f.dir });
    expect(run.code).toBe(0);
    // Not a terminal: one plain line per stage start and end, no redraws.
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).toMatch(/\] iteration 0 · train_sft started\n/);
    expect(run.stderr).toMatch(/\] iteration 1 · eval done in [\d.]+s {2}eval\.accuracy=0\.4\n/);
    expect(run.stdout).toContain('stopped because: reached max_iterations 1');

    const status = runCli(['status', 'r1', '--json'], { cwd: f.dir });
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({ name: 'r1', status: 'succeeded', iteration: 1, stage: null, stopReason: 'reached max_iterations 1' });
    expect(report.iterations).toHaveLength(2);
    const { 'eval.accuracy': accuracy, ...cost } = report.iterations[1].metrics;
    expect(accuracy).toBe(0.4);
    expect(Object.keys(cost).sort()).toEqual([
      'gpu_hours.cumulative',
      'gpu_hours.total',
      'time.eval.seconds',
      'time.sample_rm.seconds',
      'time.sample_sft.seconds',
      'time.select.seconds',
      'time.total.seconds',
      'time.train_rm.seconds',
      'time.train_sft.seconds',
    ]);
    expect(report.iterations[1].stages.select).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(Object.keys(report.iterations[0].stages)).toEqual(['train_sft', 'eval']);

    const human = runCli(['status', 'r1'], { cwd: f.dir });
    expect(human.stdout).toMatch(/^r1 {2}succeeded {2}iteration 1 {2}elapsed [\d.]+s$/m);
    expect(human.stdout).not.toContain('\x1b[');

    const ls = JSON.parse(runCli(['ls', '--json'], { cwd: f.dir }).stdout);
    expect(ls).toEqual([expect.objectContaining({ name: 'r1', status: 'succeeded', mainMetric: 'eval.accuracy', value: 0.4 })]);
  });

  it('a failing stage: exit 4 with the log tail and the resume hint; resume after the fix succeeds', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    writeFileSync(path.join(f.dir, 'fail-train_rm'), '2');
    const run = runCli(['run', 'recipe.yaml', '--name', 'r2'], { cwd: f.dir });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('stage train_rm of iteration 1 failed: exited with code 2');
    expect(run.stderr).toContain('  something broke in train_rm');
    expect(run.stderr).toContain('`loop resume r2` reruns the failed stage');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(runCli(['status', 'r2', '--json'], { cwd: f.dir }).stdout).status).toBe('failed');

    rmSync(path.join(f.dir, 'fail-train_rm'));
    const resumed = runCli(['resume', 'r2'], { cwd: f.dir });
    expect(resumed.code).toBe(0);
    expect(f.calls().filter((c) => c === '1:train_rm')).toHaveLength(2);
    expect(f.calls().filter((c) => c === '1:sample_rm')).toHaveLength(1);
    const again = runCli(['resume', 'r2'], { cwd: f.dir });
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe('loop: run r2 has succeeded; nothing to resume (`loop status r2` shows it)');
  });

  it('default names are made unique; an explicit name that exists is refused', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    expect(runCli(['run', 'recipe.yaml'], { cwd: f.dir }).code).toBe(0);
    expect(runCli(['run', 'recipe.yaml'], { cwd: f.dir }).code).toBe(0);
    const names = JSON.parse(runCli(['ls', '--json'], { cwd: f.dir }).stdout).map((r: { name: string }) => r.name);
    expect(names.sort()).toEqual(['fixture', 'fixture-2']);
    const clash = runCli(['run', 'recipe.yaml', '--name', 'fixture'], { cwd: f.dir });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('a run named "fixture" already exists');
  });

  it('--home and LOOP_HOME move the runs folder', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    expect(runCli(['run', 'recipe.yaml', '--home', 'elsewhere'], { cwd: f.dir }).code).toBe(0);
    expect(existsSync(path.join(f.dir, 'elsewhere/runs/fixture/state.json'))).toBe(true);
    expect(runCli(['run', 'recipe.yaml'], { cwd: f.dir, env: { LOOP_HOME: path.join(f.dir, 'h2') } }).code).toBe(0);
    expect(existsSync(path.join(f.dir, 'h2/runs/fixture/state.json'))).toBe(true);
    expect(runCli(['status', 'fixture'], { cwd: f.dir }).code).toBe(5);
  });

  it('status of an unknown run exits 5 and points at ls', () => {
    const r = runCli(['status', 'nope'], { cwd: process.cwd(), env: { LOOP_HOME: '/nonexistent-loop-home' } });
    expect(r.code).toBe(5);
    expect(r.stderr.trim()).toBe('loop: no run named "nope" under /nonexistent-loop-home; `loop ls` lists the runs');
  });
});

describe('signals during loop run', () => {
  // Starts `loop run` in the background and sends it signals once the given stage is running.
  async function runWithSignals(f: ReturnType<typeof makeFixture>, name: string, whenRunning: string, signals: NodeJS.Signals[]) {
    const { spawn } = await import('node:child_process');
    const { LOOP_BIN } = await import('../helpers/run-cli.ts');
    const child = spawn(process.execPath, [LOOP_BIN, 'run', 'recipe.yaml', '--name', name], {
      cwd: f.dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    while (!f.calls().includes(whenRunning)) await new Promise((r) => setTimeout(r, 20));
    for (const signal of signals) {
      child.kill(signal);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { code: await exited, stderr: () => stderr };
  }

  it('Ctrl-C once lets the running stage finish, then pauses (exit 130); resume finishes the run', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '1');
    const r = await runWithSignals(f, 'p1', '0:train_sft', ['SIGINT']);
    expect(r.code).toBe(130);
    expect(r.stderr()).toContain('pausing after the current stage finishes');
    const report = JSON.parse(runCli(['status', 'p1', '--json'], { cwd: f.dir }).stdout);
    expect(report).toMatchObject({ status: 'paused', stage: 'eval' });
    expect(report.iterations[0].stages.train_sft.status).toBe('succeeded');
    expect(runCli(['resume', 'p1'], { cwd: f.dir }).code).toBe(0);
    expect(f.calls()).toEqual(['0:train_sft', '0:eval']);
  });

  it('Ctrl-C twice stops the running stage now; it reruns on resume', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '30');
    const started = Date.now();
    const r = await runWithSignals(f, 'p2', '0:train_sft', ['SIGINT', 'SIGINT']);
    expect(r.code, r.stderr()).toBe(130);
    expect(Date.now() - started).toBeLessThan(20_000);
    const report = JSON.parse(runCli(['status', 'p2', '--json'], { cwd: f.dir }).stdout);
    expect(report).toMatchObject({ status: 'paused', stage: 'train_sft' });
    expect(report.iterations[0].stages.train_sft.status).toBe('canceled');
    rmSync(path.join(f.dir, 'sleep-train_sft'));
    expect(runCli(['resume', 'p2'], { cwd: f.dir }).code).toBe(0);
    expect(f.calls()).toEqual(['0:train_sft', '0:train_sft', '0:eval']);
  });

  it('SIGTERM pauses now', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(path.join(f.dir, 'sleep-eval'), '30');
    const r = await runWithSignals(f, 'p3', '0:eval', ['SIGTERM']);
    expect(r.code).toBe(130);
    expect(JSON.parse(runCli(['status', 'p3', '--json'], { cwd: f.dir }).stdout)).toMatchObject({ status: 'paused', stage: 'eval' });
  });
});
