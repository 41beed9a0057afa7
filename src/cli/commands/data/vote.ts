import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { UsageError } from '../../../errors/loop-error.ts';
import { voteFiles, type VoteReport } from '../../../data/vote/vote-files.ts';
import { writeMetricsFile } from '../../../data/metrics-file.ts';
import { writeFileAtomic } from '../../../fs/atomic-write.ts';
import { DataError } from '../../../data/jsonl/jsonl-error.ts';
import { createByteProgress } from '../../output/byte-progress.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const voteHelp = `Usage: loop data vote --samples S --queries Q [--queries Q2 …] [options]

Accuracy of k sampled responses per labeled query, printed as JSON: maj@k (the plain majority vote
over equivalent final answers), rm@k (the response with the highest "rm"), and the RM-weighted
majority vote with each weighting (raw, sigmoid, softmax), plus pass@k and the mean accuracy of
single samples. Unlabeled queries are skipped. Uses "pred"/"correct" from \`loop data grade\` output
when present, else works them out.

Options:
  --samples FILE   samples {id, response, rm?, …}
  --queries FILE   queries {id, question, answer?} (repeatable)
  --k K            use only each query's first K samples (default: all)
  --out FILE       also write the JSON report to FILE (written atomically)
  --budget-ms N    backstop for a hung symbolic comparison (default 30000; verdicts are bounded by work)
  --workers N      worker threads for symbolic comparisons (default 2; 0 = this thread)
  --metrics FILE   also write the figures as a flat metrics.json (for recipe stages)
  --skip-bad       skip malformed lines and samples of unknown queries, and count them
  -h, --help       show this help

Output fields: docs/reference/cli/data-vote.md.
Exit codes: 0, 2 for bad flags, 7 for a malformed or unreadable input (its file and line named)`;

// `loop data vote`: parse flags, compute the accuracies, print JSON.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('data vote', argv, {
    ...HELP_FLAG,
    json: { type: 'boolean' },
    queries: { type: 'string', multiple: true },
    samples: { type: 'string' },
    k: { type: 'string' },
    out: { type: 'string' },
    'budget-ms': { type: 'string' },
    workers: { type: 'string' },
    metrics: { type: 'string' },
    'skip-bad': { type: 'boolean' },
  });
  if (values.help) return (io.print(voteHelp), 0);
  if (positionals.length > 0)
    throw new UsageError(`loop data vote takes no positional arguments (got "${positionals[0]}"); see \`loop data vote --help\``);
  const queries = values.queries ?? [];
  if (queries.length === 0) throw new UsageError('loop data vote needs --queries FILE; see `loop data vote --help`');
  checkDataPaths(
    io.cwd,
    [...queries.map((q): [string, string] => ['queries', q]), ['samples', values.samples]],
    [
      ['out', values.out],
      ['metrics', values.metrics],
    ],
  );
  // One line every 10 s when not on a terminal (docs/reference/cli/data-vote.md); the size comes with each update.
  const progress = createByteProgress(io, 'vote', 0, Date.now, 10_000);
  let report: VoteReport;
  try {
    report = await voteFiles({
      queries,
      samples: requiredFlag('data vote', 'samples', values.samples),
      k: values.k === undefined ? undefined : numberFlag('data vote', 'k', values.k, 1, { min: 1, integer: true }),
      skipBad: values['skip-bad'],
      budgetMs: numberFlag('data vote', 'budget-ms', values['budget-ms'], 30_000, { min: 1, integer: true }),
      workers: numberFlag('data vote', 'workers', values.workers, 2, { min: 0, integer: true }),
      onProgress: (bytes, total) => progress.update(bytes, total),
    });
  } finally {
    progress.done();
  }
  if (values.metrics) {
    const metrics: Record<string, number> = {
      maj_at_k: report.majAtK,
      pass_at_k: report.passAtK,
      mean_accuracy: report.meanAccuracy,
      queries: report.queries,
    };
    if (report.rmAtK !== null) metrics.rm_at_k = report.rmAtK;
    for (const [w, v] of Object.entries(report.rmVote ?? {})) metrics[`rm_vote_${w}`] = v;
    writeMetricsFile(values.metrics, metrics);
  }
  const text = JSON.stringify(report, null, 2);
  if (values.out) {
    try {
      writeFileAtomic(values.out, `${text}\n`);
    } catch (error) {
      throw new DataError(`cannot write ${values.out}: ${(error as Error).message}`, { cause: error });
    }
  }
  io.print(text);
  return 0;
}
