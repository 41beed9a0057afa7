import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { UsageError } from '../../../errors/loop-error.ts';
import { selectFiles, type SelectStats } from '../../../data/select/select-files.ts';
import { WEIGHTINGS, type Weighting } from '../../../data/vote/vote-weights.ts';
import { writeMetricsFile } from '../../../data/metrics-file.ts';
import { createByteProgress } from '../../output/byte-progress.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const selectHelp = `Usage: loop data select --samples S --queries Q [--queries Q2 …] --top-k K --out OUT [options]

Rejection sampling. For a labeled query (one with "answer"): its top-k correct responses by "rm".
For an unlabeled query: an RM-weighted majority vote over equivalent final answers picks the answer,
then its top-k responses reaching that answer by "rm". Identical responses are kept once. Samples
need "rm"; "pred" and "correct" are taken from \`loop data grade\` output when present, else worked
out here. Writes the kept samples in input order, with the query's "question" added if missing.

Options:
  --samples FILE    samples {id, response, rm, …} (graded or not)
  --queries FILE    queries {id, question, answer?} (repeatable); no answer = unlabeled
  --top-k K         responses kept per query (default 1)
  --out FILE        the kept samples (written atomically)
  --votes FILE      also write each unlabeled query's vote: {"id", "answer", "margin"} a line
  --weighting W     vote weight per sample: raw (rm − lowest rm of the query + 1), sigmoid (σ(rm)),
                    softmax (exp(rm) normalized over the query); default softmax
  --vote-distinct   identical responses also count once in the vote (default: every sample votes)
  --budget-ms N     backstop for a hung symbolic comparison (default 30000; verdicts are bounded by work)
  --workers N       worker threads for symbolic comparisons (default 2; 0 = this thread)
  --metrics FILE    also write the statistics as a flat metrics.json (for recipe stages)
  --skip-bad        skip malformed lines (and samples of unknown queries or without rm), and count them
  --json            print the statistics as JSON
  -h, --help        show this help

Exit codes: 0, 2 for bad flags, 7 for a malformed or unreadable input (its file and line named)`;

// `loop data select`: parse flags, select, print the statistics.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('data select', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    queries: { type: 'string', multiple: true },
    samples: { type: 'string' },
    out: { type: 'string' },
    votes: { type: 'string' },
    'top-k': { type: 'string' },
    weighting: { type: 'string' },
    'vote-distinct': { type: 'boolean' },
    'budget-ms': { type: 'string' },
    workers: { type: 'string' },
    metrics: { type: 'string' },
    'skip-bad': { type: 'boolean' },
  });
  if (values.help) return (io.print(selectHelp), 0);
  if (positionals.length > 0)
    throw new UsageError(`loop data select takes no positional arguments (got "${positionals[0]}"); see \`loop data select --help\``);
  const queries = values.queries ?? [];
  if (queries.length === 0) throw new UsageError('loop data select needs --queries FILE; see `loop data select --help`');
  const weighting = (values.weighting ?? 'softmax') as Weighting;
  if (!WEIGHTINGS.includes(weighting))
    throw new UsageError(`--weighting must be one of ${WEIGHTINGS.join(', ')}, got "${values.weighting}"`);
  checkDataPaths(
    io.cwd,
    [...queries.map((q): [string, string] => ['queries', q]), ['samples', values.samples]],
    [
      ['out', values.out],
      ['votes', values.votes],
      ['metrics', values.metrics],
    ],
  );
  // One line every 10 s when not on a terminal (docs/reference/cli/data-select.md); the size comes with each update.
  const progress = createByteProgress(io, 'select', 0, Date.now, 10_000);
  let stats: SelectStats;
  try {
    stats = await selectFiles({
      queries,
      samples: requiredFlag('data select', 'samples', values.samples),
      out: requiredFlag('data select', 'out', values.out),
      votes: values.votes,
      topK: numberFlag('data select', 'top-k', values['top-k'], 1, { min: 1, integer: true }),
      weighting,
      voteDistinct: values['vote-distinct'],
      skipBad: values['skip-bad'],
      budgetMs: numberFlag('data select', 'budget-ms', values['budget-ms'], 30_000, { min: 1, integer: true }),
      workers: numberFlag('data select', 'workers', values.workers, 2, { min: 0, integer: true }),
      onProgress: (bytes, total) => progress.update(bytes, total),
    });
  } finally {
    progress.done();
  }
  if (values.metrics) {
    writeMetricsFile(values.metrics, {
      kept: stats.responsesKept,
      queries_kept: stats.queriesKept,
      labeled_kept: stats.labeledResponsesKept,
      unlabeled_kept: stats.unlabeledResponsesKept,
      labeled_queries_kept: stats.labeledQueriesKept,
      unlabeled_queries_kept: stats.unlabeledQueriesKept,
      responses_per_query: round(stats.responsesPerQuery),
      vote_margin: round(stats.voteMargin?.mean ?? 0),
      duplicates_skipped: stats.duplicatesSkipped,
      bad: stats.bad,
    });
  }
  if (values.json) io.print(JSON.stringify(stats, null, 2));
  else {
    io.print(
      `select: kept ${stats.responsesKept} responses from ${stats.queriesKept}/${stats.queries} queries ` +
        `(${stats.responsesPerQuery.toFixed(2)} per kept query)`,
    );
    io.print(`select: labeled: ${stats.labeledResponsesKept} responses from ${stats.labeledQueriesKept}/${stats.labeledQueries} queries`);
    io.print(
      `select: unlabeled (${weighting} vote): ${stats.unlabeledResponsesKept} responses from ` +
        `${stats.unlabeledQueriesKept}/${stats.unlabeledQueries} queries` +
        (stats.voteMargin
          ? `; vote margin mean ${stats.voteMargin.mean.toFixed(3)}, median ${stats.voteMargin.median.toFixed(3)}, min ` +
            `${stats.voteMargin.min.toFixed(3)}`
          : ''),
    );
    if (stats.duplicatesSkipped > 0) io.print(`select: ${stats.duplicatesSkipped} duplicate responses counted once`);
    if (stats.bad > 0) io.print(`select: skipped ${stats.bad} bad lines`);
  }
  return 0;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
