import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';

const fixture = useFixtures();
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

// The default local store end to end: every stage's outputs versioned, content-addressed across iterations and
// runs, listed by `loop artifacts`, fetched by `loop pull`, published again by `loop publish` without a commit.
describe('the local store through the CLI', () => {
  const f = fixture(fixtureRecipe({ maxIterations: 2 }));
  const home = path.join(f.dir, 'home');
  const cli = (...args: string[]) => runCli([...args, '--home', home], { cwd: f.dir });

  it('versions every stage of every iteration, storing a file once however often it recurs', () => {
    expect(cli('run', f.recipeFile, '--name', 'a').code).toBe(0);
    expect(cli('run', f.recipeFile, '--name', 'b').code).toBe(0);
    const rows = JSON.parse(cli('artifacts', 'a', '--json').stdout) as Array<{
      iteration: number;
      stage: string;
      sha256: string;
      location: string;
      branch: string;
    }>;
    // Iteration 0 runs train_sft and eval; 1 and 2 run all six stages of the fixture.
    expect(rows).toHaveLength(2 + 6 + 6);
    const artifact = sha('artifact\n');
    for (const row of rows) {
      expect(row.sha256).toBe(artifact);
      expect(row.branch).toBe(`iter-${row.iteration}`);
      expect(row.location).toBe(path.join(home, 'store', 'objects', 'sha256', artifact.slice(0, 2), artifact));
    }
    // 14 files in run a and 14 in run b with the same content: one object.
    expect(readdirSync(path.join(home, 'store', 'objects', 'sha256', artifact.slice(0, 2))).filter((n) => n === artifact)).toHaveLength(1);
    const refs = JSON.parse(readFileSync(path.join(home, 'store', 'repos', 'models', 'local', 'a-sft', 'refs.json'), 'utf8')) as {
      branches: Record<string, string>;
      tags: Record<string, string>;
    };
    expect(Object.keys(refs.branches).sort()).toEqual(['iter-0', 'iter-1', 'iter-2', 'main']);
    expect(refs.branches.main).toBe(refs.branches['iter-2']);
    expect(refs.tags.final).toBe(refs.branches['iter-2']);
    expect(refs.tags.best).toBe(refs.branches['iter-2']); // eval accuracy rises each iteration in the fixture
    const human = cli('artifacts', 'a', '--iteration', '1');
    expect(human.stdout.split('\n')[0]).toMatch(/^iter\s+stage\s+output\s+path\s+size\s+sha256\s+location$/);
    expect(human.stdout).toContain('select/artifact');
  });

  it('shows the provenance in loop status', () => {
    const status = cli('status', 'a');
    expect(status.stdout).toMatch(/provenance: .* · recipe [0-9a-f]{12} · loop \d+\.\d+\.\d+ · hosts /);
    expect(JSON.parse(cli('status', 'a', '--json').stdout).provenance).toMatchObject({ iteration: 2, tool: { name: 'loop' } });
    expect(existsSync(path.join(home, 'runs', 'a', 'iterations', '0', 'provenance.json'))).toBe(true);
  });

  it('publishing again makes no commit', () => {
    const again = cli('publish', 'a', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ commits: 0, files: 0 });
  });

  it('with store.overlap, uploads run beside the next stage and are all done when the run ends', () => {
    const run = cli('run', f.recipeFile, '--name', 'c', '--set', 'store.overlap=true', '--set', 'until.max_iterations=1');
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(cli('artifacts', 'c', '--json').stdout) as Array<{ location: string | null }>;
    expect(rows).toHaveLength(2 + 6);
    expect(rows.every((r) => r.location !== null)).toBe(true);
    const refs = JSON.parse(readFileSync(path.join(home, 'store', 'repos', 'datasets', 'local', 'c-data', 'refs.json'), 'utf8')) as {
      branches: Record<string, string>;
      tags: Record<string, string>;
    };
    expect(refs.branches.main).toBe(refs.branches['iter-1']);
    expect(refs.tags.final).toBe(refs.branches['iter-1']);
  });

  it('refuses store.kind hf without HF_TOKEN before making a run folder', () => {
    const r = runCli(['run', f.recipeFile, '--name', 'nohf', '--home', home, '--set', 'store.kind=hf', '--set', 'store.namespace=acme'], {
      cwd: f.dir,
      env: { HF_TOKEN: '' },
    });
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/HF_TOKEN is not set/);
    expect(existsSync(path.join(home, 'runs', 'nohf'))).toBe(false);
  });

  it('pulls a stage of an iteration, and refuses paths that would leave the folder', () => {
    const dir = path.join(f.dir, 'pulled');
    const pulled = cli('pull', 'a@1', 'select', dir);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'artifact'), 'utf8')).toBe('artifact\n');
    const journal = path.join(home, 'runs', 'a', 'iterations', '1', 'artifacts.json');
    const text = readFileSync(journal, 'utf8');
    writeFileSync(journal, text.replace('"path": "select/artifact"', '"path": "select/../../escaped"'));
    const refused = cli('pull', 'a@1', 'select', path.join(f.dir, 'deep', 'er'));
    expect(refused.code).toBe(8);
    expect(refused.stderr).toMatch(/leaves its folder/);
    expect(existsSync(path.join(f.dir, 'escaped'))).toBe(false);
    writeFileSync(journal, text);
    expect(cli('pull', 'a@1', 'nosuch', dir)).toMatchObject({ code: 2 });
    expect(cli('pull', 'a', 'select', dir)).toMatchObject({ code: 2 });
    expect(cli('artifacts', 'nope')).toMatchObject({ code: 5 });
  });
});
