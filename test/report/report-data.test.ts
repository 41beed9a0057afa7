import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';
import { runCli } from '../helpers/run-cli.ts';
import { reportData, type ReportData } from '../../src/report/report-data.ts';
import { renderReport } from '../../src/report/render-report.ts';

const fixture = useFixtures();

// train_sft appends three points to $LOOP_CURVES (loss falling with step and iteration) and one bad line.
const TRAIN_SH = `#!/bin/bash
echo artifact > "$1/artifact"
for s in 1 2 3; do echo "{\\"step\\": $s, \\"loss\\": $(( 100 / (s * (LOOP_ITERATION + 1)) ))}" >> "$LOOP_CURVES"; done
echo 'not json' >> "$LOOP_CURVES"
`;

describe('reportData', () => {
  let dir = '';
  let data: ReportData;

  beforeAll(() => {
    const recipe = fixtureRecipe({ maxIterations: 2 }).replace(
      / {2}train_sft:\n {4}command: .*\n/,
      '  train_sft:\n    command: [bash, "{{ recipe_dir }}/train.sh", "{{ out }}", "{{ select.artifact ?? inputs.seed_data }}"]\n',
    );
    const f = fixture(recipe);
    dir = f.dir;
    writeFileSync(path.join(dir, 'train.sh'), TRAIN_SH, { mode: 0o755 });
    const r = runCli(['run', 'recipe.yaml', '--name', 'a'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const iterations = path.join(dir, '.loop/runs/a/iterations');
    writeFileSync(
      path.join(iterations, '1/provenance.json'),
      JSON.stringify({ git: { commit: 'abc', remotes: ['origin'] }, empty: {}, n: 3 }),
    );
    writeFileSync(path.join(iterations, '2/provenance.json'), '{broken');
    mkdirSync(path.join(iterations, '7'));
    data = reportData({ home: path.join(dir, '.loop'), run: 'a', now: new Date('2030-01-01T00:00:00Z') });
  });

  it('the run: status, stop reason, iterations with metrics', () => {
    expect(data).toMatchObject({
      run: 'a',
      status: 'succeeded',
      mainMetric: 'eval.accuracy',
      error: null,
      generatedAt: '2030-01-01T00:00:00.000Z',
    });
    expect(data.stopReason).toBe('reached max_iterations 2');
    expect(data.iterations).toEqual([0, 1, 2]); // iteration folder 7 holds no stage: no metrics, no point
  });

  it('metric series: the main metric first, stage metrics, then time and GPU-hours; one value per iteration', () => {
    expect(data.metrics[0]).toEqual({ name: 'eval.accuracy', higherIsBetter: true, values: [0.3, 0.4, 0.5] });
    const names = data.metrics.map((m) => m.name);
    expect(names.indexOf('time.total.seconds')).toBeGreaterThan(0);
    expect(names.indexOf('gpu_hours.total')).toBeGreaterThan(names.indexOf('time.total.seconds'));
    expect(data.metrics.find((m) => m.name === 'time.select.seconds')!.values[0]).toBeNull();
    expect(data.metrics.find((m) => m.name === 'time.total.seconds')).toMatchObject({ higherIsBetter: false });
    for (const m of data.metrics) expect(m.values).toHaveLength(3);
  });

  it('training curves from $LOOP_CURVES, one set per iteration; the bad line counted', () => {
    expect(data.curves).toEqual(
      [0, 1, 2].map((iteration) => ({
        stage: 'train_sft',
        iteration,
        steps: [1, 2, 3],
        series: { loss: [1, 2, 3].map((s) => Math.trunc(100 / (s * (iteration + 1)))) },
        skipped: 1,
        lines: 3,
      })),
    );
  });

  it('a timeline per iteration: stages in the order they started, offsets from the first', () => {
    expect(data.timeline.map((t) => t.bars.map((b) => b.stage))).toEqual([
      ['train_sft', 'eval'],
      ['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft', 'eval'],
      ['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft', 'eval'],
      [],
    ]);
    for (const t of data.timeline.slice(0, 3)) {
      expect(t.bars[0]!.start).toBe(0);
      for (let i = 1; i < t.bars.length; i++) expect(t.bars[i]!.start).toBeGreaterThanOrEqual(t.bars[i - 1]!.end - 0.001);
    }
  });

  it('selection statistics per iteration that ran select; provenance flattened, a broken one reported', () => {
    expect(data.selection.map((s) => s.iteration)).toEqual([1, 2]);
    expect(data.selection[0]).toEqual({ iteration: 1, metrics: {}, rows: null, votes: null });
    // Iterations 1 and 2 hold the files this test wrote over the ones the run recorded; 0 keeps the run's own.
    expect(data.provenance[0]!.entries.map((e) => e.path)).toContain('recipeSha256');
    expect(data.provenance.slice(1)).toEqual([
      {
        iteration: 1,
        entries: [
          { path: 'git.commit', value: 'abc' },
          { path: 'git.remotes.0', value: 'origin' },
          { path: 'empty', value: '{}' },
          { path: 'n', value: '3' },
        ],
      },
      { iteration: 2, entries: [], error: expect.stringMatching(/^provenance\.json is not valid JSON/) },
    ]);
  });

  it('the page embeds the data where no text can end the script early, and inlines uPlot', () => {
    const hostile = { ...data, stopReason: '</script><script>alert(1)</script>' };
    const html = renderReport(hostile);
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html).toContain('&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('https://github.com/leeoniya/uPlot'); // uPlot's banner comment: the library itself is inline
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    const json = html.slice(html.indexOf('id="loop-report-data">') + 22, html.indexOf('</script>', html.indexOf('id="loop-report-data">')));
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(hostile)));
  });
});

// The RL phase's stages: rl_train writes a reward curve, rl_eval its accuracy.
const RL_SH = `#!/bin/bash
echo artifact > "$1/artifact"
if [ "$LOOP_STAGE" = rl_train ]; then for s in 1 2; do echo "{\\"step\\": $s, \\"reward\\": 0.$s}" >> "$LOOP_CURVES"; done; fi
if [ "$LOOP_STAGE" = rl_eval ]; then echo '{"accuracy": 0.8}' > "$LOOP_METRICS"; fi
`;

describe('reportData of a run with an RL phase', () => {
  it('holds the phase: its stages, its metrics, its curves under the last iteration; the page shows them', () => {
    const rlStage = (name: string) =>
      `    ${name}:\n      command: [bash, "{{ recipe_dir }}/rl.sh", "{{ out }}"]\n      outputs: { artifact: artifact }\n`;
    const rl = `rl:\n  stages:\n${['rl_sample', 'rl_filter', 'rl_train', 'rl_eval'].map(rlStage).join('')}`;
    const f = fixture(`${fixtureRecipe({ maxIterations: 1 })}${rl}`);
    writeFileSync(path.join(f.dir, 'rl.sh'), RL_SH, { mode: 0o755 });
    const r = runCli(['run', 'recipe.yaml', '--name', 'rl'], { cwd: f.dir });
    expect(r.code, r.stderr).toBe(0);
    const data = reportData({ home: path.join(f.dir, '.loop'), run: 'rl' });
    expect(data.rl).toEqual({
      after: 1,
      stages: { rl_sample: 'succeeded', rl_filter: 'succeeded', rl_train: 'succeeded', rl_eval: 'succeeded' },
      metrics: { 'rl_eval.accuracy': 0.8 },
    });
    expect(data.curves.filter((c) => c.stage === 'rl_train')).toEqual([
      { stage: 'rl_train', iteration: 1, steps: [1, 2], series: { reward: [0.1, 0.2] }, skipped: 0, lines: 2 },
    ]);
    // The stage timeline: a lane per iteration, then one for the RL phase with its stages in order.
    expect(data.timeline.map((t) => t.label ?? t.iteration)).toEqual([0, 1, 'RL']);
    expect(data.timeline.at(-1)!.bars.map((b) => b.stage)).toEqual(['rl_sample', 'rl_filter', 'rl_train', 'rl_eval']);
    const html = renderReport(data);
    expect(html).toContain('<span class="lane-label">RL</span>');
    expect(html).toContain('<h2 id="rl">RL phase</h2>');
    expect(html).toContain('<tr><th>rl_eval.accuracy</th><td>0.8</td></tr>');
    // Without an RL phase the section says so.
    expect(renderReport({ ...data, rl: null })).toContain('This run has no RL phase, or it has not started.');
  });
});

describe('loop report (command)', () => {
  let dir = '';
  const cli = (...args: string[]) => runCli(['report', ...args], { cwd: dir });
  beforeAll(() => {
    dir = fixture(fixtureRecipe({ maxIterations: 1 })).dir;
    const r = runCli(['run', 'recipe.yaml', '--name', 'a'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
  });

  it('writes RUN.html by default; --out and --json', () => {
    const r = cli('a');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^wrote ${path.join(dir, 'a.html')} \\(\\d+ KiB\\): 2 iterations, \\d+ metric charts, 0 curve charts\\n$`),
    );
    mkdirSync(path.join(dir, 'out'));
    const j = cli('a', '--out', 'out/r.html', '--json');
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ run: 'a', out: path.join(dir, 'out/r.html'), iterations: 2, curveCharts: 0 });
  });

  it('bad arguments: exit 2 with what to do; an unknown run: exit 5', () => {
    expect(cli('a', '--out', 'missing/r.html')).toMatchObject({ code: 2, stderr: expect.stringContaining('the folder') });
    expect(cli('a', '--out', 'out')).toMatchObject({ code: 2, stderr: expect.stringContaining('it is a folder') });
    expect(cli('a@1').code).toBe(2);
    expect(cli().code).toBe(2);
    expect(cli('nope').code).toBe(5);
    expect(cli('a', '--bogus').stderr.trim()).toBe("loop: Unknown option '--bogus'; see `loop report --help`");
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: loop report RUN/);
  });
});
