import path from 'node:path';
import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { rmData } from '../../../data/rm-data/rm-data.ts';
import { createByteProgress } from '../../output/byte-progress.ts';
import { inputFile } from '../../input-file.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const rmDataHelp = `Usage: loop data rm-data --samples S --out OUT [--group 6] [--pairs] [--queries Q] [--ungrouped]
                        [--skip-bad] [--json]

Builds reward-model training data from graded samples ("id", "response", "correct"). Per query, a
listwise group of its first N distinct responses, in input order:
  {"id", "question", "responses": [...], "labels": [0|1, ...]}
kept only when it holds at least one correct and one wrong response. --pairs writes every
(correct, wrong) pair of that group instead: {"id", "question", "chosen", "rejected"}.

A query's samples are read as consecutive lines (as sampling writes them), so memory holds one group;
--ungrouped accepts any order and holds every query's group until it is full or the input ends.

Options:
  --samples FILE  graded samples
  --out FILE      the groups (or pairs)
  --group N       responses per group (default 6, the method's); queries with fewer distinct
                  responses are dropped and counted
  --pairs         write chosen/rejected pairs instead of listwise groups
  --queries FILE  query file to look questions up by id (when samples lack "question")
  --ungrouped     the samples of a query are not on consecutive lines
  --skip-bad      skip malformed lines and rows without "id"/"response"/"correct", and count them
  --json          print the summary as JSON
  -h, --help      show this help

Exit codes: 0, 2 for a bad flag, 7 for a missing file, a malformed line or a row without a needed field
Docs: docs/reference/cli/data-rm-data.md`;

// `loop data rm-data`: parse flags, build the groups or pairs, print what was kept and why the rest was not.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseFlags('data rm-data', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    samples: { type: 'string' },
    queries: { type: 'string' },
    out: { type: 'string' },
    group: { type: 'string' },
    pairs: { type: 'boolean' },
    ungrouped: { type: 'boolean' },
    'skip-bad': { type: 'boolean' },
  });
  if (values.help) return (io.print(rmDataHelp), 0);
  const c = 'data rm-data';
  const samples = inputFile(io.cwd, 'samples', requiredFlag(c, 'samples', values.samples));
  const queries = values.queries === undefined ? undefined : inputFile(io.cwd, 'queries', values.queries).path;
  const out = path.resolve(io.cwd, requiredFlag(c, 'out', values.out));
  checkDataPaths(
    io.cwd,
    [
      ['samples', samples.path],
      ['queries', queries],
    ],
    [['out', values.out]],
  );
  const group = numberFlag(c, 'group', values.group, 6, { min: 2, integer: true });
  const progress = createByteProgress(io, c, samples.bytes);
  const summary = await rmData({
    samples: samples.path,
    queries,
    out,
    group,
    pairs: values.pairs,
    ungrouped: values.ungrouped,
    skipBad: values['skip-bad'],
    onProgress: (b) => progress.update(b),
  });
  progress.done();
  if (values.json) return (io.print(JSON.stringify(summary, null, 2)), 0);
  const s = summary.samples;
  io.print(
    [
      `kept ${summary.kept} of ${summary.queries} queries: wrote ${summary.written} ` +
        `${summary.format === 'pairs' ? 'pairs' : `groups of ${group}`}`,
      `dropped: ${summary.allCorrect} all correct, ${summary.allWrong} all wrong, ${summary.short} with fewer than ${group} distinct ` +
        `responses`,
      `${s.rows} samples; ${s.duplicates} duplicate responses and ${s.extra} beyond a full group ignored` +
        (s.bad + s.invalid > 0 ? `; skipped ${s.bad} malformed lines and ${s.invalid} rows without id/response/correct` : ''),
    ].join('\n'),
  );
  return 0;
}
