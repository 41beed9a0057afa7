import path from 'node:path';
import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { UsageError } from '../../../errors/loop-error.ts';
import { rlFilter, type RlFilterSummary } from '../../../data/rl-filter/rl-filter.ts';
import { createByteProgress } from '../../output/byte-progress.ts';
import { writeMetricsFile } from '../../../data/metrics-file.ts';
import { inputFile } from '../../input-file.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const rlFilterHelp = `Usage: loop data rl-filter --samples S --out OUT [--min 2] [--max 5] [--queries Q] [--metrics FILE]
                          [--skip-bad] [--json]

Keeps the RL queries whose count of correct samples is within [min, max] (2 to 5 of 8 samples in the
method: queries always or never solved give GRPO no signal). Each kept query gets "n_correct" and
"n_samples". Samples need "id" and "correct"; they need not be grouped or sorted (memory grows with
the number of queries, not samples).

Options:
  --samples FILE  graded samples (JSONL with "id" and "correct")
  --queries FILE  query rows to filter (all their fields pass through, in their order); without it,
                  one row {"id", "question" (when samples carry it), "n_correct", "n_samples"} per query
  --out FILE      the kept queries
  --min N         fewest correct samples to keep a query (default 2)
  --max N         most correct samples to keep a query (default 5)
  --metrics FILE  also write the counts as a flat metrics.json (for recipe stages): queries, kept,
                  kept_share, too_few, too_many, without_samples, samples, bad
  --skip-bad      skip malformed lines and rows without "id"/"correct", and count them, instead of stopping
  --json          print the summary as JSON
  -h, --help      show this help

Exit codes: 0, 2 for a bad flag, 7 for a missing file, a malformed line or a row without "id"/"correct"
Docs: docs/reference/cli/data-rl-filter.md`;

// `loop data rl-filter`: parse flags, filter, print the summary with the histogram of correct counts.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseFlags('data rl-filter', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    samples: { type: 'string' },
    queries: { type: 'string' },
    out: { type: 'string' },
    min: { type: 'string' },
    max: { type: 'string' },
    metrics: { type: 'string' },
    'skip-bad': { type: 'boolean' },
  });
  if (values.help) return (io.print(rlFilterHelp), 0);
  const c = 'data rl-filter';
  const samples = inputFile(io.cwd, 'samples', requiredFlag(c, 'samples', values.samples));
  const queries = values.queries === undefined ? undefined : inputFile(io.cwd, 'queries', values.queries).path;
  const out = path.resolve(io.cwd, requiredFlag(c, 'out', values.out));
  checkDataPaths(
    io.cwd,
    [
      ['samples', samples.path],
      ['queries', queries],
    ],
    [
      ['out', values.out],
      ['metrics', values.metrics],
    ],
  );
  const min = numberFlag(c, 'min', values.min, 2, { min: 0, integer: true });
  const max = numberFlag(c, 'max', values.max, 5, { min: 0, integer: true });
  if (min > max) throw new UsageError(`--min ${min} is above --max ${max}; no query could be kept`);
  const progress = createByteProgress(io, c, samples.bytes);
  const summary = await rlFilter({
    samples: samples.path,
    queries,
    out,
    min,
    max,
    skipBad: values['skip-bad'],
    onProgress: (b) => progress.update(b),
  });
  progress.done();
  if (values.metrics !== undefined) writeMetricsFile(path.resolve(io.cwd, values.metrics), rlFilterMetrics(summary));
  if (values.json) return (io.print(JSON.stringify(summary, null, 2)), 0);
  const histogram = Object.entries(summary.correctHistogram)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([k, n]) => `${k}:${n}`)
    .join(' ');
  const s = summary.samples;
  io.print(
    [
      `kept ${summary.kept} of ${summary.queries} queries with ${min}..${max} correct (${summary.tooFew} below, ${summary.tooMany} above)` +
        (summary.withoutSamples > 0 ? `; ${summary.withoutSamples} queries had no samples` : ''),
      `correct samples per query (count:queries): ${histogram || '—'}`,
      `${s.rows} samples` +
        (summary.samplesPerQuery ? `, ${summary.samplesPerQuery.min}..${summary.samplesPerQuery.max} per query` : '') +
        (s.bad + s.invalid > 0 ? `; skipped ${s.bad} malformed lines and ${s.invalid} rows without id/correct` : ''),
    ].join('\n'),
  );
  return 0;
}

// The summary as a stage's metrics.json: the names the RL phase reports in `loop status` (rl_filter.kept, …).
export function rlFilterMetrics(summary: RlFilterSummary): Record<string, number> {
  return {
    queries: summary.queries,
    kept: summary.kept,
    kept_share: summary.queries > 0 ? Math.round((summary.kept / summary.queries) * 1e4) / 1e4 : 0,
    too_few: summary.tooFew,
    too_many: summary.tooMany,
    without_samples: summary.withoutSamples,
    samples: summary.samples.rows,
    bad: summary.samples.bad + summary.samples.invalid,
  };
}
