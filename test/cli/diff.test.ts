import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';
import { runCli } from '../helpers/run-cli.ts';
import { renderDiff } from '../../src/cli/commands/diff.ts';
import { createStyle } from '../../src/cli/output/style.ts';
import type { IterationDiff } from '../../src/diff/diff-iterations.ts';

const fixture = useFixtures();

// The fixture recipe with a select stage that writes rows.jsonl: rows ITER-1..ITER-3 plus one shared row,
// so iteration 2's rows against iteration 1's: 3 added, 3 removed. From iteration 2 on it reports select.kept.
// votes.jsonl votes answer 1 on queries q1..qITER and 0 on the rest of q1..q4: iterations 1 and 3 agree on 2 of 4.
const SELECT_SH = `#!/bin/bash
out="$1"
echo artifact > "$out/artifact"
echo '{"shared": true}' > "$out/rows.jsonl"
for i in 1 2 3; do echo "{\\"row\\": \\"$LOOP_ITERATION-$i\\"}" >> "$out/rows.jsonl"; done
for q in 1 2 3 4; do echo "{\\"id\\": \\"q$q\\", \\"answer\\": \\"$(( q <= LOOP_ITERATION ? 1 : 0 ))\\"}" >> "$out/votes.jsonl"; done
if [ "$LOOP_ITERATION" -ge 2 ]; then echo '{"kept": 4}' > "$out/metrics.json"; fi
`;
function recipeWithRows(maxIterations: number): string {
  return fixtureRecipe({ maxIterations })
    .replace(
      / {2}select:\n {4}command: .*\n {4}outputs: .*\n/,
      '  select:\n    command: [bash, "{{ recipe_dir }}/select.sh", "{{ out }}"]\n    outputs: { artifact: artifact, data: rows.jsonl, ' +
        'votes: votes.jsonl }\n',
    )
    .concat('metrics:\n  direction: { eval.loss: lower }\n');
}

describe('loop diff', () => {
  let dir = '';
  const cli = (...args: string[]) => runCli(['diff', ...args], { cwd: dir });
  const json = (...args: string[]) => {
    const r = cli(...args, '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(() => {
    const f = fixture(recipeWithRows(3));
    dir = f.dir;
    writeFileSync(path.join(dir, 'select.sh'), SELECT_SH, { mode: 0o755 });
    for (const [name, extra] of [
      ['a', []],
      ['b', ['--set', 'until.max_iterations=1', '--set', 'vars.k=7']],
    ] as const) {
      const r = runCli(['run', 'recipe.yaml', '--name', name, ...extra], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('two iterations of one run: values, delta, relative delta, better; same recipe', () => {
    expect(json('a@0', 'a@2', '--metric', 'eval.*,select.*')).toEqual({
      left: { run: 'a', iteration: 0 },
      right: { run: 'a', iteration: 2 },
      mainMetric: 'eval.accuracy',
      metrics: [
        { name: 'eval.accuracy', left: 0.3, right: 0.5, delta: 0.2, relative: 0.666666666667, better: true },
        { name: 'select.kept', left: null, right: 4, delta: null, relative: null, better: null },
      ],
      config: [],
      data: null, // iteration 0 runs no select stage
      rl: null, // neither run has an RL phase
      votes: null,
      rlQueries: null,
    });
  });

  it('a worse right side, RUN (last) and RUN@best', () => {
    const down = json('a@3', 'a@1');
    expect(down.metrics[0]).toMatchObject({ left: 0.6, right: 0.4, delta: -0.2, better: false });
    expect(json('a', 'b')).toMatchObject({ left: { run: 'a', iteration: 3 }, right: { run: 'b', iteration: 1 } });
    expect(json('b@best', 'a@best')).toMatchObject({ left: { iteration: 1 }, right: { iteration: 3 } });
    expect(json('a@2', 'a@2').metrics[0]).toMatchObject({ delta: 0, relative: 0, better: null });
  });

  it('the config diff when one run used --set; recipeFile and recipeDir are not reported', () => {
    const d = json('a', 'b');
    expect(d.config).toEqual([
      { path: 'vars.k', left: null, right: 7 },
      { path: 'until.maxIterations', left: 3, right: 1 },
    ]);
    const human = cli('a', 'b');
    expect(human.stdout).toContain('  vars.k: — → 7\n');
    expect(human.stdout).toContain('  until.maxIterations: 3 → 1');
  });

  it('rows the select stage added and removed', () => {
    expect(json('a@1', 'a@2').data).toEqual({ output: 'data', left: 4, right: 4, added: 3, removed: 3 });
    expect(json('a@2', 'b@1').data).toEqual({ output: 'data', left: 4, right: 4, added: 3, removed: 3 });
    expect(json('a@1', 'b@1').data).toMatchObject({ added: 0, removed: 0 });
    expect(cli('a@1', 'a@2').stdout).toContain('select.data: +3 -3 rows (4 → 4)');
  });

  it("vote agreement: how often the two sides' votes picked the same answer", () => {
    expect(json('a@1', 'a@3').votes).toEqual({ output: 'votes', queries: 4, agree: 2, rate: 0.5 });
    expect(json('a@1', 'b@1').votes).toEqual({ output: 'votes', queries: 4, agree: 4, rate: 1 });
    expect(json('a@0', 'a@1').votes).toBeNull();
    expect(cli('a@1', 'a@3').stdout).toContain('select.votes: 2 of 4 queries voted on by both got the same answer (50.0%)');
  });

  it('time and GPU-hours per stage and iteration are metrics too, lower is better', () => {
    const d = json('a@0', 'a@2');
    const names = d.metrics.map((m: { name: string }) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'time.train_sft.seconds',
        'time.eval.seconds',
        'time.total.seconds',
        'gpu_hours.total',
        'gpu_hours.cumulative',
      ]),
    );
    expect(names).toContain('time.select.seconds'); // iteration 2 only: the left side shows it as missing
    const total = d.metrics.find((m: { name: string }) => m.name === 'time.total.seconds');
    expect(total.left).toBeGreaterThan(0);
    expect(total.better).toBe(total.delta === 0 ? null : total.delta < 0);
    expect(d.metrics.find((m: { name: string }) => m.name === 'time.select.seconds')).toMatchObject({ left: null, delta: null });
    expect(d.metrics.find((m: { name: string }) => m.name === 'gpu_hours.total')).toMatchObject({ left: 0, right: 0 });
  });

  it('human output under NO_COLOR: a table, no escape codes', () => {
    const r = cli('a@0', 'a@2', '--metric', 'eval.*,select.*');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout.split('\n')).toEqual([
      'a@0 → a@2',
      '',
      'metric         a@0  a@2  delta  relative',
      'eval.accuracy  0.3  0.5  +0.2   +66.7%    better',
      'select.kept    —    4    —      —         only right',
      '',
      'config',
      '  the recipes are the same',
      '',
    ]);
  });

  it('a metric on one side only is shown as missing, not dropped', () => {
    expect(json('a@1', 'a@2', '--metric', 'eval.*,select.*').metrics).toEqual([
      { name: 'eval.accuracy', left: 0.4, right: 0.5, delta: 0.1, relative: 0.25, better: true },
      { name: 'select.kept', left: null, right: 4, delta: null, relative: null, better: null },
    ]);
    expect(cli('a@1', 'a@2', '--metric', 'eval.*,select.*').stdout).toMatch(/^select\.kept {4}— {4}4 {4}— {6}— {9}only right$/m);
  });

  it('--metric filters by glob', () => {
    expect(json('a@1', 'a@2', '--metric', 'eval.*').metrics.map((m: { name: string }) => m.name)).toEqual(['eval.accuracy']);
    expect(json('a@1', 'a@2', '--metric', '*.kept').metrics.map((m: { name: string }) => m.name)).toEqual(['select.kept']);
    expect(json('a@1', 'a@2', '--metric', 'train_*').metrics).toEqual([]);
    expect(json('a@1', 'a@2', '--metric', 'select.*,time.t*').metrics.map((m: { name: string }) => m.name)).toEqual([
      'select.kept',
      'time.total.seconds',
      'time.train_rm.seconds',
      'time.train_sft.seconds',
    ]);
    expect(cli('a@1', 'a@2', '--metric', 'train_*').stdout).toContain('no metric matches train_*');
  });

  it('loop diff RUN: iterations as columns with deltas and a sparkline', () => {
    expect(json('a', '--metric', 'eval.*,select.*')).toEqual({
      run: 'a',
      earlierIterations: 0,
      iterations: [0, 1, 2, 3],
      metrics: [
        { name: 'eval.accuracy', higherIsBetter: true, values: [0.3, 0.4, 0.5, 0.6] },
        { name: 'select.kept', higherIsBetter: true, values: [null, null, 4, 4] },
      ],
      rl: null,
    });
    const r = cli('a', '--metric', 'eval.*, select.*');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'a',
      '',
      'metric         0    1           2           3           trend',
      'eval.accuracy  0.3  0.4 (+0.1)  0.5 (+0.1)  0.6 (+0.1)  ▁▃▆█',
      'select.kept    —    —           4           4 (0)       ··▄▄',
      '',
    ]);
    expect(json('a', '--metric', 'select.*').iterations).toEqual([2, 3]);
    expect(json('a', '--metric', 'nothing.*')).toEqual({ run: 'a', earlierIterations: 0, iterations: [], metrics: [], rl: null });
  });

  it('bad references: exit 2 naming the iterations; an unknown run: exit 5', () => {
    const bad = cli('a@x', 'b');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('loop: "a@x" is not an iteration reference; iterations of a: 0, 1, 2, 3; write a, a@N or a@best');
    const missing = cli('a@99', 'b');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('loop: run a has no iteration 99; iterations of a: 0, 1, 2, 3; write a, a@N or a@best');
    const unknown = cli('nope@1', 'a');
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('no run named "nope"');
    expect(cli('nope').code).toBe(5);
    expect(cli().code).toBe(2);
    expect(cli('a', 'b', 'c').code).toBe(2);
    expect(cli('a@1').code).toBe(2);
    expect(cli('a', 'b', '--bogus').stderr.trim()).toBe("loop: Unknown option '--bogus'; see `loop diff --help`");
  });

  it('colours follow the direction when styling is on: green better, red worse', () => {
    const s = createStyle({ isTTY: true }, {});
    const diff = (better: boolean | null): IterationDiff => ({
      left: { run: 'a', iteration: 1 },
      right: { run: 'a', iteration: 2 },
      mainMetric: 'eval.loss',
      metrics: [{ name: 'eval.loss', left: 2, right: better ? 1 : 3, delta: better ? -1 : 1, relative: better ? -0.5 : 0.5, better }],
      config: [],
      data: null,
      rl: null,
      votes: null,
      rlQueries: null,
    });
    expect(renderDiff(diff(true), s)).toContain('\x1b[32m-1\x1b[39m');
    expect(renderDiff(diff(false), s)).toContain('\x1b[31m+1\x1b[39m');
    expect(renderDiff(diff(true), createStyle({ isTTY: true }, { NO_COLOR: '1' }))).not.toContain('\x1b[');
  });

  it('--help prints usage and exits 0', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: loop diff A B/);
  });
});
