import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { UsageError } from '../../../errors/loop-error.ts';
import { gradeFiles, type GradeStats } from '../../../data/grade/grade-files.ts';
import { writeMetricsFile } from '../../../data/metrics-file.ts';
import { createByteProgress } from '../../output/byte-progress.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const gradeHelp = `Usage: loop data grade --queries Q [--queries Q2 …] --samples S --out OUT [options]

Extracts each sample's final answer (the last \\boxed{…}, GSM8K's "#### N", "the (final) answer is …",
a bare answer, the last math span, else the last number) and judges it against its query's reference
answer: integers exactly, decimals and fractions (relative tolerance 1e-4, percent forms), LaTeX forms,
tuples, intervals and inequalities, sets, matrices, equations, and symbolic equality bounded by work
(expression size, nesting, iterations), so a verdict is the same on any machine. Writes every sample with "pred" added, and "correct" for
labeled queries. Rules and differences from Qwen2.5-Math's toolkit: docs/data/grading.md.

Options:
  --queries FILE   queries {id, question, answer?} (repeatable); no answer = unlabeled
  --samples FILE   samples {id, response, …}, one per sampled response
  --out FILE       graded samples (written atomically)
  --extract MODE   auto (default: the precedence above) or boxed (only a \\boxed{} answer counts)
  --budget-ms N    backstop for an engine that hangs despite the work bounds (default 30000); past it:
                   not correct, counted in "timeouts"
  --workers N      worker threads for symbolic comparisons (default 2; 0 = this thread, no budget)
  --tir-check      re-execute tool-integrated responses' python blocks (sandboxed: time and memory
                   limits) and grade one whose stated \`\`\`output its code does not print as not correct;
                   adds "tir_consistent"
  --tir-timeout-ms N  time limit per re-executed response (default 10000)
  --metrics FILE   also write the statistics as a flat metrics.json (for recipe stages)
  --skip-bad       skip malformed lines and samples of unknown queries, and count them
  --json           print the statistics as JSON
  -h, --help       show this help

Exit codes: 0, 2 for bad flags, 7 for a malformed or unreadable input (its file and line named)`;

// `loop data grade`: parse flags, grade the files, print the statistics.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('data grade', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    queries: { type: 'string', multiple: true },
    samples: { type: 'string' },
    out: { type: 'string' },
    'budget-ms': { type: 'string' },
    extract: { type: 'string' },
    workers: { type: 'string' },
    metrics: { type: 'string' },
    'skip-bad': { type: 'boolean' },
    'tir-check': { type: 'boolean' },
    'tir-timeout-ms': { type: 'string' },
  });
  if (values.help) return (io.print(gradeHelp), 0);
  if (positionals.length > 0)
    throw new UsageError(`loop data grade takes no positional arguments (got "${positionals[0]}"); see \`loop data grade --help\``);
  const queries = values.queries ?? [];
  if (queries.length === 0) throw new UsageError('loop data grade needs --queries FILE; see `loop data grade --help`');
  checkDataPaths(
    io.cwd,
    [...queries.map((q): [string, string] => ['queries', q]), ['samples', values.samples]],
    [
      ['out', values.out],
      ['metrics', values.metrics],
    ],
  );
  // One line every 10 s when not on a terminal (docs/reference/cli/data-grade.md); the size comes with each update.
  const extract = values.extract ?? 'auto';
  if (extract !== 'auto' && extract !== 'boxed') throw new UsageError(`loop data grade --extract must be auto or boxed (got "${extract}")`);
  const progress = createByteProgress(io, 'grade', 0, Date.now, 10_000);
  let stats: GradeStats;
  try {
    stats = await gradeFiles({
      queries,
      samples: requiredFlag('data grade', 'samples', values.samples),
      out: requiredFlag('data grade', 'out', values.out),
      skipBad: values['skip-bad'],
      budgetMs: numberFlag('data grade', 'budget-ms', values['budget-ms'], 30_000, { min: 1, integer: true }),
      extract,
      workers: numberFlag('data grade', 'workers', values.workers, 2, { min: 0, integer: true }),
      onProgress: (bytes, total) => progress.update(bytes, total),
      tirCheck: values['tir-check']
        ? { timeoutMs: numberFlag('data grade', 'tir-timeout-ms', values['tir-timeout-ms'], 10_000, { min: 1, integer: true }) }
        : undefined,
    });
  } finally {
    progress.done();
  }
  const accuracy = stats.labeled > 0 ? stats.correct / stats.labeled : 0;
  if (values.metrics) {
    writeMetricsFile(values.metrics, {
      accuracy: Math.round(accuracy * 1e4) / 1e4,
      responses: stats.samples,
      correct: stats.correct,
      labeled: stats.labeled,
      no_answer: stats.noAnswer,
      timeouts: stats.timeouts,
      bounded: stats.bounded,
      bad: stats.bad,
      ...(values['tir-check'] ? { tir_checked: stats.tirChecked, tir_inconsistent: stats.tirInconsistent } : {}),
    });
  }
  if (values.json) io.print(JSON.stringify({ ...stats, accuracy }, null, 2));
  else {
    io.print(
      `grade: ${stats.correct}/${stats.labeled} labeled samples correct (${(100 * accuracy).toFixed(1)}%), ${stats.unlabeled} ` +
        `unlabeled, ${stats.noAnswer} without a final answer`,
    );
    if (stats.symbolic > 0)
      io.print(
        `grade: ${stats.symbolic} comparisons needed the symbolic check; ${stats.bounded} were beyond the work bounds and ` +
          `${stats.timeouts} ran past the backstop budget (graded not correct)`,
      );
    if (stats.bad > 0) io.print(`grade: skipped ${stats.bad} bad lines`);
    if (values['tir-check'])
      io.print(
        `grade: re-executed ${stats.tirChecked} tool-integrated responses; ${stats.tirInconsistent} stated outputs their code does not ` +
          `print (graded not correct)`,
      );
  }
  return 0;
}
