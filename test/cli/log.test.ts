import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecipe, makeFixture } from '../helpers/fixture-run.ts';
import { runCli } from '../helpers/run-cli.ts';

let fixture: ReturnType<typeof makeFixture>;
const events = () => path.join(fixture.dir, '.loop/runs/r1/events.jsonl');

beforeAll(() => {
  fixture = makeFixture(fixtureRecipe({ maxIterations: 1 }));
  expect(runCli(['run', 'recipe.yaml', '--name', 'r1'], { cwd: fixture.dir }).code).toBe(0);
});
afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

describe('loop log', () => {
  it('--json prints the events as stored, oldest first', () => {
    const r = runCli(['log', 'r1', '--json'], { cwd: fixture.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list.map((e) => `${e.iteration}:${e.from}→${e.to}`)).toEqual([
      '0:null→train_sft',
      '0:train_sft→eval',
      '1:eval→sample_rm',
      '1:sample_rm→train_rm',
      '1:train_rm→sample_sft',
      '1:sample_sft→select',
      '1:select→train_sft',
      '1:train_sft→eval',
      '1:eval→done',
    ]);
    expect(list[0]).toEqual({
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      from: null,
      to: 'train_sft',
      iteration: 0,
      stage: 'train_sft',
      by: expect.stringMatching(/^loop run by \S+ on \S+ \(pid \d+\)$/),
    });
    expect(list.at(-1)).toMatchObject({ to: 'done', stage: null, detail: 'reached max_iterations 1' });
  });

  it('prints one aligned line per event: time, iteration, from → to, stage, other fields', () => {
    const r = runCli(['log', 'r1'], { cwd: fixture.dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^\S+Z {2}iteration 0 {2}\(start\) → train_sft {4}train_sft +by="loop run by \S+ on \S+ \(pid \d+\)"$/);
    expect(lines[2]).toMatch(/^\S+Z {2}iteration 1 {2}eval → sample_rm {7}sample_rm +left=succeeded exitCode=0 attempt=1$/);
    expect(lines[8]).toMatch(/^\S+Z {2}iteration 1 {2}eval → done +detail="reached max_iterations 1" left=succeeded /);
    expect(lines[8]).toMatch(/ left=succeeded exitCode=0 attempt=1$/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('shows unknown fields generically, and skips a torn last line with a warning', () => {
    appendFileSync(
      events(),
      `${JSON.stringify({
        at: '2026-01-01T00:00:00.000Z',
        from: 'done',
        to: 'done',
        iteration: 1,
        stage: null,
        by: 'loop pause (pid 7 on h)',
        type: 'note',
        exitCode: 3,
      })}\n`,
    );
    appendFileSync(events(), '{"at":"2026-01-01T00:00:01.000Z","from":"do');
    const human = runCli(['log', 'r1'], { cwd: fixture.dir });
    expect(human.code).toBe(0);
    expect(human.stderr.trim()).toBe('loop: events.jsonl line 11 is not valid JSON (a crash while writing it?); skipped');
    const last = human.stdout.trimEnd().split('\n').at(-1);
    expect(last).toMatch(/^2026-01-01T00:00:00.000Z {2}iteration 1 {2}done → done +by="loop pause \(pid 7 on h\)" type=note exitCode=3$/);

    const json = runCli(['log', 'r1', '--json'], { cwd: fixture.dir });
    expect(json.code).toBe(0);
    expect(json.stderr).toContain('events.jsonl line 11 is not valid JSON');
    const list = JSON.parse(json.stdout) as unknown[];
    expect(list).toHaveLength(10);
    expect(list.at(-1)).toMatchObject({ by: 'loop pause (pid 7 on h)', type: 'note', exitCode: 3 });
  });

  it('an unknown run exits 5; a missing name is a usage error; --help prints usage', () => {
    const unknown = runCli(['log', 'nope'], { cwd: fixture.dir });
    expect(unknown.code).toBe(5);
    expect(unknown.stderr.trim()).toBe(`loop: no run named "nope" under ${path.join(fixture.dir, '.loop')}; \`loop ls\` lists the runs`);
    const usage = runCli(['log'], { cwd: fixture.dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toBe('loop: loop log needs one run name; `loop ls` lists the runs');
    const help = runCli(['log', '--help'], { cwd: fixture.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: loop log NAME \[--json\] \[--home DIR\]/);
  });
});
