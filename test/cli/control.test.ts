import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';
import { runCli } from '../helpers/run-cli.ts';

const fixture = useFixtures();

const status = (cwd: string, name: string) => JSON.parse(runCli(['status', name, '--json'], { cwd }).stdout);

// A run that fails at iteration 1's select (exit 4), with the failure's cause then removed: ready for a resume.
function runFailingAtSelect(f: ReturnType<typeof fixture>, name: string): void {
  writeFileSync(path.join(f.dir, 'fail-select'), '1');
  expect(runCli(['run', 'recipe.yaml', '--name', name], { cwd: f.dir }).code).toBe(4);
  rmSync(path.join(f.dir, 'fail-select'));
}

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('steering a run from another process', () => {
  it('run --detach, loop pause (after the stage), loop resume: succeeded with the same metrics as without the pause', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    // Long enough for `loop pause` to start on a loaded machine (its start-up alone took over 3 s there).
    writeFileSync(path.join(f.dir, 'sleep-sample_rm'), '8');
    const started = runCli(['run', 'recipe.yaml', '--name', 'c', '--detach'], { cwd: f.dir });
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain('run c continues in the background');
    await until(() => f.calls().includes('1:sample_rm'));
    const pause = runCli(['pause', 'c'], { cwd: f.dir });
    expect(pause.stdout, pause.stderr).toContain('run c pauses after its current stage (sample_rm) finishes');
    await until(() => status(f.dir, 'c').status === 'paused');
    const paused = status(f.dir, 'c');
    expect(paused.stage).toBe('train_rm');
    expect(paused.iterations[1].stages.sample_rm.status).toBe('succeeded');
    rmSync(path.join(f.dir, 'sleep-sample_rm'));
    expect(runCli(['resume', 'c'], { cwd: f.dir }).code).toBe(0);
    const done = status(f.dir, 'c');
    expect(done.status).toBe('succeeded');
    expect(done.iterations.map((it: { metrics: Record<string, number> }) => it.metrics['eval.accuracy'])).toEqual([0.3, 0.4]);
    expect(f.calls().filter((c) => c === '1:sample_rm')).toHaveLength(1);
    const log = runCli(['log', 'c', '--json'], { cwd: f.dir });
    const events = JSON.parse(log.stdout) as Array<{ to: string; by?: string }>;
    expect(events.find((e) => e.to === 'paused')?.by).toMatch(/^loop pause by .* \(pid \d+\)$/);
  });

  it('a second controller for a running run exits non-zero naming the holder; pause --now then stop', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '30');
    expect(runCli(['run', 'recipe.yaml', '--name', 'r', '--detach'], { cwd: f.dir }).code).toBe(0);
    await until(() => f.calls().includes('0:train_sft'));
    const second = runCli(['resume', 'r'], { cwd: f.dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      /^loop: run r is held by process \d+ on \S+ since \S+ \(loop resume\); wait for it, or `loop pause r` it\n$/,
    );

    const now = runCli(['pause', 'r', '--now'], { cwd: f.dir });
    expect(now.code, now.stderr).toBe(0);
    expect(now.stdout).toContain('run r is paused');
    const paused = status(f.dir, 'r');
    expect(paused).toMatchObject({ status: 'paused', stage: 'train_sft' });
    expect(paused.iterations[0].stages.train_sft.status).toBe('canceled');

    const stop = runCli(['stop', 'r'], { cwd: f.dir });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout.trim()).toBe('run r is stopped');
    expect(status(f.dir, 'r').status).toBe('stopped');
    const again = runCli(['resume', 'r'], { cwd: f.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('run r has stopped; nothing to resume');
  });

  it('stop of a running run goes through its controller and cancels the stage', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    writeFileSync(path.join(f.dir, 'sleep-eval'), '30');
    expect(runCli(['run', 'recipe.yaml', '--name', 's', '--detach'], { cwd: f.dir }).code).toBe(0);
    await until(() => f.calls().includes('0:eval'));
    const stop = runCli(['stop', 's'], { cwd: f.dir });
    expect(stop.stdout.trim()).toBe('run s is stopped');
    const report = status(f.dir, 's');
    expect(report.status).toBe('stopped');
    expect(report.iterations[0].stages.eval.status).toBe('canceled');
  });
});

describe('edit and resume', () => {
  it('accepts a fix to the stage that failed', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    runFailingAtSelect(f, 'fix');
    const edited = readFileSync(path.join(f.dir, 'recipe.yaml'), 'utf8').replace(
      '  select:\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"]',
      '  select:\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}", "--fixed"]',
    );
    writeFileSync(path.join(f.dir, 'edited.yaml'), edited);
    const resumed = runCli(['resume', 'fix', '--recipe', 'edited.yaml'], { cwd: f.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      'changed  stages.select.command[3]: undefined → "--fixed"  ' + '(select has not finished in iteration 1)',
    );
  });

  it('accepts a change to a stage that has not run yet in the current iteration, and records it', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    runFailingAtSelect(f, 'e');
    const edited = readFileSync(path.join(f.dir, 'recipe.yaml'), 'utf8').replace(
      '  eval:\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"]',
      '  eval:\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}", "--edited"]',
    );
    writeFileSync(path.join(f.dir, 'edited.yaml'), edited);
    const resumed = runCli(['resume', 'e', '--recipe', 'edited.yaml'], { cwd: f.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('changed  stages.eval.command[3]: undefined → "--edited"  (eval has not finished in iteration 1)');
    const args = readFileSync(path.join(f.dir, '.loop/runs/e/iterations/1/eval/out/args.txt'), 'utf8');
    expect(args.trim().split('\n')).toEqual(['--edited']);
    const events = JSON.parse(runCli(['log', 'e', '--json'], { cwd: f.dir }).stdout) as Array<{ type?: string; forced?: boolean }>;
    expect(events.find((e) => e.type === 'recipe-edit')).toMatchObject({ forced: false });
  });

  it('refuses a change to finished work, naming the keys, unless --force', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    runFailingAtSelect(f, 'e2');
    const edited = readFileSync(path.join(f.dir, 'recipe.yaml'), 'utf8').replace(
      '  sample_rm:\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"',
      '  sample_rm:\n    retry: { attempts: 2 }\n    command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"',
    );
    writeFileSync(path.join(f.dir, 'edited.yaml'), edited);
    const refused = runCli(['resume', 'e2', '--recipe', 'edited.yaml'], { cwd: f.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the edited recipe would change finished work of run e2:');
    expect(refused.stderr).toContain('  stages.sample_rm.retry.attempts: sample_rm already finished in iteration 1');
    expect(status(f.dir, 'e2').status).toBe('failed');
    const forced = runCli(['resume', 'e2', '--recipe', 'edited.yaml', '--force'], { cwd: f.dir });
    expect(forced.code, forced.stderr).toBe(0);
    const events = JSON.parse(runCli(['log', 'e2', '--json'], { cwd: f.dir }).stdout) as Array<{ type?: string; forced?: boolean }>;
    expect(events.find((e) => e.type === 'recipe-edit')).toMatchObject({ forced: true });
  });
});

describe('edit and resume in the RL phase', () => {
  it('refuses a change to an RL stage that finished, and accepts one to the RL stage that failed', () => {
    const rlStage = (name: string) =>
      `    ${name}:\n      command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"]\n      outputs: { artifact: artifact }\n` +
      '      env: { WORK: "{{ recipe_dir }}" }\n';
    const rl = `rl:\n  stages:\n${['rl_sample', 'rl_filter', 'rl_train', 'rl_eval'].map(rlStage).join('')}`;
    const f = fixture(`${fixtureRecipe({ maxIterations: 1 })}${rl}`);
    writeFileSync(path.join(f.dir, 'fail-rl_train'), '1');
    expect(runCli(['run', 'recipe.yaml', '--name', 'rl'], { cwd: f.dir }).code).toBe(4);
    rmSync(path.join(f.dir, 'fail-rl_train'));
    const recipe = readFileSync(path.join(f.dir, 'recipe.yaml'), 'utf8');
    const edit = (stage: string) =>
      recipe.replace(
        `    ${stage}:\n      command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}"]`,
        `    ${stage}:\n      command: [bash, "{{ recipe_dir }}/stage.sh", "{{ out }}", "--edited"]`,
      );
    writeFileSync(path.join(f.dir, 'edited.yaml'), edit('rl_sample'));
    const refused = runCli(['resume', 'rl', '--recipe', 'edited.yaml'], { cwd: f.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('  stages.rl_sample.command[3]: rl_sample already finished in iteration 1');
    writeFileSync(path.join(f.dir, 'edited.yaml'), edit('rl_train'));
    const resumed = runCli(['resume', 'rl', '--recipe', 'edited.yaml'], { cwd: f.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('(rl_train has not finished in iteration 1)');
    expect(status(f.dir, 'rl').status).toBe('succeeded');
    expect(f.calls().filter((c) => c.endsWith(':rl_sample'))).toHaveLength(1);
  });
});

describe('a corrupt state file', () => {
  it('is rebuilt from the stage records on resume, with a message, and the run finishes without rerunning finished stages', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 2 }));
    // Fail at iteration 1's select: iteration 0 and the first stages of iteration 1 are done.
    runFailingAtSelect(f, 'z');
    const stateFile = path.join(f.dir, '.loop/runs/z/state.json');
    writeFileSync(stateFile, readFileSync(stateFile, 'utf8').slice(0, 40));
    expect(runCli(['status', 'z'], { cwd: f.dir }).stderr).toContain('is unreadable');
    const resumed = runCli(['resume', 'z'], { cwd: f.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      /the run state was unreadable \(kept as .*state\.json\.corrupt-\d+\); rebuilt it from the stage records/,
    );
    expect(resumed.stderr).toContain('rebuilt it from the stage records: iteration 1, next stage select');
    expect(status(f.dir, 'z').status).toBe('succeeded');
    expect(f.calls().filter((c) => c === '1:select')).toHaveLength(2);
    for (const done of ['0:train_sft', '0:eval', '1:sample_rm', '1:train_rm', '1:sample_sft']) {
      expect(
        f.calls().filter((c) => c === done),
        done,
      ).toHaveLength(1);
    }
    expect(f.calls().filter((c) => c.startsWith('2:'))).toHaveLength(6);
  });
});

describe('damaged run folders', () => {
  it('a damaged stage record together with a corrupt state: resume reruns that stage; ls still lists every run', () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    writeFileSync(path.join(f.dir, 'fail-select'), '1');
    expect(runCli(['run', 'recipe.yaml', '--name', 'd1'], { cwd: f.dir }).code).toBe(4);
    expect(runCli(['run', 'recipe.yaml', '--name', 'ok', '--set', 'until.max_iterations=0'], { cwd: f.dir }).code).toBe(0);
    rmSync(path.join(f.dir, 'fail-select'));
    const run = path.join(f.dir, '.loop/runs/d1');
    writeFileSync(path.join(run, 'state.json'), '{"version":1,');
    writeFileSync(path.join(run, 'iterations/1/train_rm/status.json'), '{"stage": "train_rm", "sta');
    const ls = runCli(['ls', '--json'], { cwd: f.dir });
    expect(ls.code).toBe(0);
    const names = JSON.parse(ls.stdout).map((r: { name: string; status: string }) => `${r.name}:${r.status}`);
    expect(names.sort()).toEqual(['d1:unreadable', 'ok:succeeded']);
    expect(ls.stderr).toContain('loop: run d1: the run state');
    const resumed = runCli(['resume', 'd1'], { cwd: f.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('rebuilt it from the stage records: iteration 1, next stage train_rm');
    expect(f.calls().filter((c) => c === '1:train_rm')).toHaveLength(2);
    expect(f.calls().filter((c) => c === '1:sample_rm')).toHaveLength(1);
  });
});
