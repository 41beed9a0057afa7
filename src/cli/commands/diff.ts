import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { diffIterations, type IterationDiff } from '../../diff/diff-iterations.ts';
import { runTrends, type RunTrends } from '../../diff/run-trends.ts';
import { RECENT_ITERATIONS } from '../../metrics/read-run-report.ts';
import { compareOne, type MetricComparison } from '../../diff/compare-metrics.ts';
import { sparkline } from '../../diff/sparkline.ts';
import { table } from '../output/table.ts';
import { formatMetric } from '../output/format.ts';
import type { Style } from '../output/style.ts';
import { existsSync } from 'node:fs';
import { runPaths } from '../../run-folder/run-paths.ts';
import { readSweepManifest } from '../../sweep/sweep-manifest.ts';
import { diffSweep, type SweepDiff } from '../../diff/diff-sweep.ts';

export const diffHelp = `Usage: loop diff A B [--metric GLOB] [--json] [--home DIR]
       loop diff RUN [--all] [--metric GLOB] [--json] [--home DIR]
       loop diff SWEEP [--metric GLOB] [--json] [--home DIR]

With two references, compares two iterations: each metric's values, delta, relative delta and
whether it got better (green) or worse (red), wall times and GPU-hours included (lower is
better); the recipe keys that differ; rows the select stage added or removed, how often the two
sides' votes picked the same answer, and RL queries kept. A reference is RUN (its last iteration with metrics), RUN@N or RUN@best (the best
value of the run's main metric). With one run, shows its last ${RECENT_ITERATIONS} iterations (--all: every one) side by side with
each one's delta to the previous one and a sparkline per metric. With a sweep's name (\`loop sweep\`), lists each of
its runs' last iteration side by side, the best value per metric marked with *.

Options:
  --metric GLOB  only metrics matching GLOB (\`*\` matches anything; several: comma-separated),
                 e.g. 'eval.*' or 'eval.*,time.total.seconds'
  --all          with one run: every iteration, not only the last ${RECENT_ITERATIONS} (reads the whole index)
  --json         print the comparison as JSON (fields in docs/reference/cli/diff.md)
  --home DIR     the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help     show this help

Exit codes: 0, 2 for a bad reference, 5 when no run has that name`;

// `loop diff A B` / `loop diff RUN`: parse, call src/diff, print.
export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('diff', argv, {
    ...HELP_FLAG,
    ...HOME_FLAG,
    ...JSON_FLAG,
    metric: { type: 'string' },
    all: { type: 'boolean' },
  });
  if (values.help) return (io.print(diffHelp), 0);
  const home = loopHome(values.home, io.env, io.cwd);
  if (positionals.length === 2) {
    const diff = diffIterations({ home, left: positionals[0]!, right: positionals[1]!, metric: values.metric });
    io.print(values.json ? JSON.stringify(diff, null, 2) : renderDiff(diff, io.out, values.metric));
    return 0;
  }
  if (positionals.length === 1) {
    if (positionals[0]!.includes('@')) {
      throw new UsageError(
        `loop diff with one argument takes a run name, not "${positionals[0]}"; to compare iterations give two, e.g. \`loop diff q@1 q@2\``,
      );
    }
    const manifest = existsSync(runPaths(home, positionals[0]!).root) ? undefined : readSweepManifest(home, positionals[0]!);
    if (manifest) {
      const sweep = diffSweep({ home, manifest, metric: values.metric });
      io.print(values.json ? JSON.stringify(sweep, null, 2) : renderSweep(sweep, io.out, values.metric));
      return 0;
    }
    const recent = values.all ? undefined : RECENT_ITERATIONS;
    const trends = runTrends({ home, run: positionals[0]!, metric: values.metric, recent });
    io.print(values.json ? JSON.stringify(trends, null, 2) : renderTrends(trends, io.out, values.metric));
    return 0;
  }
  throw new UsageError('loop diff needs two references (e.g. `loop diff q@2 q@3`) or one run name; `loop ls` lists the runs');
}

// The human view of a two-sided diff.
export function renderDiff(diff: IterationDiff, s: Style, glob?: string): string {
  const l = `${diff.left.run}@${diff.left.iteration}`;
  const r = `${diff.right.run}@${diff.right.iteration}`;
  const lines = [`${s.bold(l)} → ${s.bold(r)}`, ''];
  if (diff.metrics.length === 0) lines.push(glob === undefined ? 'no metrics on either side' : `no metric matches ${glob}`);
  else {
    const rows = [['metric', l, r, 'delta', 'relative', ''].map((h) => s.bold(h))];
    for (const m of diff.metrics) rows.push(metricRow(m, s));
    lines.push(table(rows));
  }
  lines.push('', s.bold('config'));
  if (diff.config.length === 0) lines.push('  the recipes are the same');
  for (const c of diff.config) lines.push(`  ${c.path}: ${formatValue(c.left)} → ${formatValue(c.right)}`);
  if (diff.rl && diff.rl.length > 0) {
    const rows = [['RL metric', diff.left.run, diff.right.run, 'delta', 'relative', ''].map((h) => s.bold(h))];
    for (const m of diff.rl) rows.push(metricRow(m, s));
    lines.push('', s.bold('RL phase'), table(rows));
  }
  if (diff.data || diff.votes || diff.rlQueries) lines.push('', s.bold('data'));
  if (diff.data) {
    const d = diff.data;
    lines.push(`  select.${d.output}: ${s.green(`+${d.added}`)} ${s.red(`-${d.removed}`)} rows (${d.left} → ${d.right})`);
  }
  if (diff.votes) {
    const v = diff.votes;
    const rate = v.rate === null ? '' : ` (${(v.rate * 100).toFixed(1)}%)`;
    lines.push(`  select.${v.output}: ${v.agree} of ${v.queries} queries voted on by both got the same answer${rate}`);
  }
  if (diff.rlQueries) {
    const q = diff.rlQueries;
    lines.push(`  rl_filter.${q.output}: ${s.green(`+${q.added}`)} ${s.red(`-${q.removed}`)} queries kept (${q.left} → ${q.right})`);
  }
  return lines.join('\n');
}

function metricRow(m: MetricComparison, s: Style): string[] {
  const value = (v: number | null) => formatMetric(v ?? undefined);
  const paint = (text: string) => (m.better === true ? s.green(text) : m.better === false ? s.red(text) : text);
  const verdict =
    m.left === null ? 'only right' : m.right === null ? 'only left' : m.better === null ? 'same' : m.better ? 'better' : 'worse';
  return [
    m.name,
    value(m.left),
    value(m.right),
    m.delta === null ? '—' : paint(signed(m.delta)),
    m.relative === null ? '—' : paint(`${signed(Number((m.relative * 100).toFixed(1)))}%`),
    m.left === null || m.right === null ? s.dim(verdict) : paint(verdict),
  ];
}

// The human view of one run's iterations side by side.
export function renderTrends(trends: RunTrends, s: Style, glob?: string): string {
  const rl = trends.rl && Object.keys(trends.rl).length > 0 ? trends.rl : null;
  const rlBlock = rl
    ? [
        '',
        s.bold('RL phase'),
        table([['RL metric', 'value'].map((h) => s.bold(h)), ...Object.entries(rl).map(([n, v]) => [n, formatMetric(v)])]),
      ]
    : [];
  if (trends.metrics.length === 0) {
    if (rl) return [s.bold(trends.run), ...rlBlock].join('\n');
    return glob === undefined ? `run ${trends.run} has no metrics yet` : `no metric of run ${trends.run} matches ${glob}`;
  }
  const rows = [['metric', ...trends.iterations.map(String), 'trend'].map((h) => s.bold(h))];
  for (const m of trends.metrics) {
    const cells = m.values.map((v, i) => {
      const prev = i > 0 ? (m.values[i - 1] ?? null) : null;
      if (v === null) return '—';
      if (i === 0 || prev === null) return formatMetric(v);
      const step = compareOne(m.name, prev, v, m.higherIsBetter);
      const delta = `(${signed(step.delta ?? 0)})`;
      return `${formatMetric(v)} ${step.better === true ? s.green(delta) : step.better === false ? s.red(delta) : s.dim(delta)}`;
    });
    rows.push([m.name, ...cells, sparkline(m.values)]);
  }
  const shown =
    trends.earlierIterations > 0
      ? [s.dim(`(the last iterations, from ${trends.earlierIterations}; \`loop diff ${trends.run} --all\` shows every one)`)]
      : [];
  return [s.bold(trends.run), '', table(rows), ...shown, ...rlBlock].join('\n');
}

// The human view of a sweep: one column per run (its grid values above its metrics), the best per metric marked.
export function renderSweep(sweep: SweepDiff, s: Style, glob?: string): string {
  const rows = [['', ...sweep.runs.map((r) => r.run)].map((h) => s.bold(h))];
  for (const axis of sweep.grid) rows.push([axis.path, ...sweep.runs.map((r) => r.values[axis.path] ?? '—')]);
  rows.push(['status', ...sweep.runs.map((r) => r.status)]);
  rows.push(['iteration', ...sweep.runs.map((r) => (r.iteration === null ? '—' : String(r.iteration)))]);
  for (const m of sweep.metrics) {
    rows.push([
      m.name,
      ...m.values.map((v, i) => {
        if (v === null) return '—';
        const text = formatMetric(v);
        return m.best.includes(sweep.runs[i]!.run) && m.best.length < sweep.runs.length ? s.green(`${text} *`) : text;
      }),
    ]);
  }
  const note =
    sweep.metrics.length === 0
      ? [glob === undefined ? 'no run of the sweep has metrics yet' : `no metric matches ${glob}`]
      : ['', "* best in the metric's direction"];
  return [`${s.bold(`sweep ${sweep.sweep}`)}  (${sweep.runs.length} runs)`, '', table(rows), ...note].join('\n');
}

function signed(n: number): string {
  const text = formatMetric(n);
  return n > 0 ? `+${text}` : text;
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
