import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunRecipe } from '../../src/run-folder/read-run-recipe.ts';
import { runPaths } from '../../src/run-folder/run-paths.ts';
import { readArtifacts } from '../../src/store/artifacts-journal.ts';
import { openRunStore } from '../../src/store/run-store.ts';
import { runCli } from '../helpers/run-cli.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const root = mkdtempSync(path.join(tmpdir(), 'loop-store-rl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const RL = ['rl_sample', 'rl_grade', 'rl_filter', 'rl_train', 'rl_eval'];

describe('the store and the RL phase', () => {
  it('publishes what a crash left of the RL phase onto the last iteration only, then finishes that iteration again', {
    timeout: 120_000,
  }, async () => {
    const home = path.join(root, 'home');
    const sets = ['--set', 'rl.enabled=true', '--set', 'until.max_iterations=1'];
    const run = runCli(['run', RECIPE, '--name', 'r', '--home', home, ...sets], { cwd: root, timeoutMs: 100_000 });
    expect(run.code, run.stderr).toBe(0);
    const paths = runPaths(home, 'r');
    const journal = path.join(paths.iteration(1), 'artifacts.json');
    expect(Object.keys(readArtifacts(paths, 1)!.stages)).toEqual(expect.arrayContaining(RL));
    expect(Object.keys(readArtifacts(paths, 0)!.stages).filter((s) => RL.includes(s))).toEqual([]);

    // As after a controller killed once the RL stages had succeeded but before their uploads were recorded.
    const recorded = JSON.parse(readFileSync(journal, 'utf8')) as { stages: Record<string, unknown> };
    for (const stage of RL) delete recorded.stages[stage];
    writeFileSync(journal, JSON.stringify(recorded));

    const lines: string[] = [];
    const store = openRunStore({
      home,
      run: 'r',
      paths,
      recipe: readRunRecipe(paths),
      env: {},
      now: () => new Date(),
      sleep: async () => undefined,
      report: (line) => lines.push(line),
    });
    // The five RL stages published again (unchanged: no commit), and iteration 1 finished once more; nothing else.
    expect(await store.finishPending()).toBe(RL.length + 1);
    expect(lines.filter((l) => l.startsWith('finished iteration'))).toEqual([expect.stringMatching(/^finished iteration 1 in the store/)]);
    expect(Object.keys(readArtifacts(paths, 1)!.stages)).toEqual(expect.arrayContaining(RL));
    expect(Object.keys(readArtifacts(paths, 0)!.stages).filter((s) => RL.includes(s))).toEqual([]);
    // Nothing is left pending.
    expect(await store.finishPending()).toBe(0);
  });
});
