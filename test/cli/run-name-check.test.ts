import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureRecipe, STAGE_SCRIPT } from '../helpers/fixture-run.ts';

// Every file under a folder with its size and mtime, to show a command touched nothing.
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((rel) => {
      const s = statSync(path.join(dir, rel));
      return `${rel} ${s.size} ${s.mtimeMs}`;
    });
}

describe('run names given to any command (issue 20, items 1 and 4)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-names-'));
  const home = path.join(dir, 'home', '.loop');
  mkdirSync(path.join(home, 'runs'), { recursive: true });
  // What `../../evilrun` would reach from runs/: a folder that looks like a run.
  mkdirSync(path.join(dir, 'home', 'evilrun', 'iterations'), { recursive: true });
  writeFileSync(path.join(dir, 'home', 'evilrun', 'recipe.json'), '{}');
  writeFileSync(path.join(dir, 'home', 'evilrun', 'state.json'), '{}');
  writeFileSync(path.join(dir, 'recipe.yaml'), fixtureRecipe({ maxIterations: 1 }));
  writeFileSync(path.join(dir, 'stage.sh'), STAGE_SCRIPT);
  const env = { LOOP_HOME: home };
  const long = 'a'.repeat(300);

  const calls: Array<[string, string[]]> = [];
  for (const bad of ['../../evilrun', '/etc', '.hidden', long]) {
    for (const command of ['status', 'log', 'artifacts', 'report', 'resume', 'stop', 'pause', 'publish', 'diff'])
      calls.push([command, [command, bad]]);
    calls.push(['diff A@N B', ['diff', `${bad}@1`, 'ok@2']]);
    calls.push(['diff A B@N', ['diff', 'ok@1', `${bad}@best`]]);
    calls.push(['pull', ['pull', `${bad}@1`, 'eval', path.join(dir, 'pulled')]]);
    calls.push(['run --name', ['run', 'recipe.yaml', '--name', bad]]);
    calls.push(['sweep --name', ['sweep', 'recipe.yaml', '--grid', 'seed=1,2', '--name', bad]]);
  }

  it.each(calls)('%s with a bad name exits 2 with one line, touching nothing (%#)', (_label, args) => {
    const before = listing(dir);
    const r = runCli(args, { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/name .* (is not a valid name|characters long)/);
    expect(listing(dir)).toEqual(before);
  });

  it('a sweep whose runs would get names past the limit is refused before any run is made', () => {
    const r = runCli(['sweep', 'recipe.yaml', '--grid', 'seed=1,2', '--name', 'b'.repeat(195)], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^loop: the sweep's runs would have names of up to 202 characters .* over the 200-character limit; choose a shorter --name$/,
    );
    expect(readdirSync(path.join(home, 'runs'))).toEqual([]);
  });

  it('a name at the limit works', () => {
    const name = 'c'.repeat(200);
    const r = runCli(['run', 'recipe.yaml', '--name', name], { cwd: dir, env });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(runCli(['status', name], { cwd: dir, env }).code).toBe(0);
    const report = runCli(['report', name], { cwd: dir, env });
    expect(report.code).toBe(0);
  });
});
