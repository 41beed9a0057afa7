import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-sweep-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const cli = (args: string[], timeoutMs?: number) => runCli([...args, '--home', home], { cwd: home, timeoutMs });

// When each run's controller held it: from its first event to its last.
function span(run: string): [number, number] {
  const events = readFileSync(path.join(home, 'runs', run, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { at: string });
  return [Date.parse(events[0]!.at), Date.parse(events.at(-1)!.at)];
}

describe('loop sweep on the quickstart', () => {
  const names = ['qs.seed-1.top_k-2', 'qs.seed-1.top_k-3', 'qs.seed-2.top_k-2', 'qs.seed-2.top_k-3'];

  it('runs 4 variants, at most 2 at a time, and loop diff SWEEP --json lists all four with the best marked', () => {
    const sweep = cli(
      [
        'sweep',
        RECIPE,
        '--name',
        'qs',
        '--grid',
        'seed=1,2',
        '--grid',
        'vars.top_k=2,3',
        '--max-parallel',
        '2',
        '--set',
        'until.max_iterations=1',
      ],
      240_000,
    );
    expect(sweep.code, sweep.stderr).toBe(0);
    for (const name of names)
      expect(sweep.stdout).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}\\s+succeeded\\s+1\\s+eval.accuracy`, 'm'));
    // Never more than two runs at once: at each run's start, at most one other run is in progress.
    const spans = names.map(span);
    for (const [start] of spans) expect(spans.filter(([s, e]) => s <= start && start < e).length).toBeLessThanOrEqual(2);

    const diff = cli(['diff', 'qs', '--json']);
    expect(diff.code, diff.stderr).toBe(0);
    const table = JSON.parse(diff.stdout) as {
      sweep: string;
      grid: Array<{ path: string; values: string[] }>;
      runs: Array<{ run: string; values: Record<string, string>; status: string; iteration: number }>;
      metrics: Array<{ name: string; higherIsBetter: boolean; values: number[]; best: string[] }>;
    };
    expect(table.sweep).toBe('qs');
    expect(table.runs.map((r) => r.run)).toEqual(names);
    expect(table.runs[3]).toMatchObject({ values: { seed: '2', 'vars.top_k': '3' }, status: 'succeeded', iteration: 1 });
    const accuracy = table.metrics[0]!;
    expect(accuracy.name).toBe('eval.accuracy');
    // Each run's value is the one `loop status` reports for its last iteration, and the best is the maximum.
    const reported = names.map((n) => JSON.parse(cli(['status', n, '--json']).stdout).iterations.at(-1).metrics['eval.accuracy'] as number);
    expect(accuracy.values).toEqual(reported);
    expect(accuracy.best).toEqual(names.filter((_, i) => reported[i] === Math.max(...reported)));
    const loss = table.metrics.find((m) => m.name === 'train_sft.loss')!;
    expect(loss.higherIsBetter).toBe(false);
    expect(loss.best).toEqual(names.filter((_, i) => loss.values[i] === Math.min(...loss.values)));

    const human = cli(['diff', 'qs']);
    expect(human.stdout).toMatch(/^vars\.top_k\s+2\s+3\s+2\s+3$/m);
    expect(human.stdout).toContain('*');
    // A run of the sweep is an ordinary run.
    expect(cli(['diff', `${names[0]}`, `${names[3]}`, '--json']).code).toBe(0);
  }, 300_000);

  it('refuses a bad grid value before creating any run, and a sweep name that is taken', () => {
    const bad = cli(['sweep', RECIPE, '--name', 'bad', '--grid', 'until.max_iterations=1,lots']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('until.max_iterations');
    expect(existsSync(path.join(home, 'runs', 'bad.max_iterations-1'))).toBe(false);
    const taken = cli(['sweep', RECIPE, '--name', 'qs', '--grid', 'seed=1']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('a sweep named "qs" already exists');
  });
});
