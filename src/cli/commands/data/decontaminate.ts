import path from 'node:path';
import { availableParallelism } from 'node:os';
import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { UsageError } from '../../../errors/loop-error.ts';
import { decontaminate, type DecontaminateSummary } from '../../../data/decontaminate/decontaminate.ts';
import { DEFAULT_SETTINGS } from '../../../data/decontaminate/settings.ts';
import { parseFieldSpec } from '../../../data/text/read-text-field.ts';
import { createByteProgress } from '../../output/byte-progress.ts';
import { table } from '../../output/table.ts';
import { inputFile } from '../../input-file.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const decontaminateHelp = `Usage: loop data decontaminate --train T --test A [--test B …] --out CLEAN [--removed REMOVED]
                              [--field question] [--test-field auto] [--ngram 13] [--lcs 0.6]
                              [--workers N] [--skip-bad] [--json]

Drops train items that overlap a test item: sharing an n-gram of ${DEFAULT_SETTINGS.ngram} tokens, or an LCS ratio
2·LCS/(|train|+|test|) ≥ ${DEFAULT_SETTINGS.lcs} over tokens, after normalization (NFKC, lower case, LaTeX markup
dropped). The LCS rule runs only on candidates from a token ${DEFAULT_SETTINGS.shingle}-gram index of the test items.
Details: docs/data/decontamination.md.

Options:
  --train FILE          train JSONL to clean
  --test [NAME=]FILE    a test set (repeatable); its name is NAME, else the file's (eval/aime24/test.jsonl: aime24)
  --out FILE            the train rows kept
  --removed FILE        the rows dropped, each with the rule and the test item that caught it
  --field F             train text field; "a+b" joins fields (default question)
  --test-field F        test text field (default auto: Body+Question, problem, body+question, prompt)
  --ngram N             n-gram length of the exact-overlap rule, 0 turns it off (default ${DEFAULT_SETTINGS.ngram})
  --lcs R               LCS ratio threshold, 0 turns the rule off (default ${DEFAULT_SETTINGS.lcs})
  --shingle N           token n-gram length of the LCS candidate index (default ${DEFAULT_SETTINGS.shingle})
  --max-candidates N    LCS checks per train item, most shared shingles first (default ${DEFAULT_SETTINGS.maxCandidates})
  --max-postings N      shingles in more test items than this are not indexed (default ${DEFAULT_SETTINGS.maxPostings})
  --workers N           matching threads (default: one per core for inputs over 8 MB, else 0 = this thread)
  --skip-bad            skip malformed lines and rows without the field, and count them, instead of stopping
  --json                print the summary as JSON
  -h, --help            show this help

Exit codes: 0, 2 for a bad flag, 7 for a missing file or a malformed line`;

// `loop data decontaminate`: parse flags, run src/data/decontaminate, print the per-test-set summary.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseFlags('data decontaminate', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    train: { type: 'string' },
    test: { type: 'string', multiple: true },
    out: { type: 'string' },
    removed: { type: 'string' },
    field: { type: 'string' },
    'test-field': { type: 'string' },
    ngram: { type: 'string' },
    lcs: { type: 'string' },
    shingle: { type: 'string' },
    'max-candidates': { type: 'string' },
    'max-postings': { type: 'string' },
    workers: { type: 'string' },
    'skip-bad': { type: 'boolean' },
  });
  if (values.help) return (io.print(decontaminateHelp), 0);
  const c = 'data decontaminate';
  const train = inputFile(io.cwd, 'train', requiredFlag(c, 'train', values.train));
  if (!values.test || values.test.length === 0)
    throw new UsageError('loop data decontaminate needs at least one --test FILE; see `loop data decontaminate --help`');
  const tests = values.test.map((spec) => {
    const eq = spec.indexOf('=');
    const named = eq > 0 && !spec.slice(0, eq).includes('/');
    const file = inputFile(io.cwd, 'test', named ? spec.slice(eq + 1) : spec).path;
    return named ? `${spec.slice(0, eq)}=${file}` : file;
  });
  const out = path.resolve(io.cwd, requiredFlag(c, 'out', values.out));
  const testFiles = tests.map((t): [string, string] => ['test', path.isAbsolute(t) ? t : t.slice(t.indexOf('=') + 1)]);
  checkDataPaths(
    io.cwd,
    [['train', train.path], ...testFiles],
    [
      ['out', values.out],
      ['removed', values.removed],
    ],
  );
  const settings = {
    ngram: numberFlag(c, 'ngram', values.ngram, DEFAULT_SETTINGS.ngram, { min: 0, max: 1000, integer: true }),
    lcs: numberFlag(c, 'lcs', values.lcs, DEFAULT_SETTINGS.lcs, { min: 0, max: 1 }),
    shingle: numberFlag(c, 'shingle', values.shingle, DEFAULT_SETTINGS.shingle, { min: 1, max: 100, integer: true }),
    maxCandidates: numberFlag(c, 'max-candidates', values['max-candidates'], DEFAULT_SETTINGS.maxCandidates, { min: 1, integer: true }),
    maxPostings: numberFlag(c, 'max-postings', values['max-postings'], DEFAULT_SETTINGS.maxPostings, { min: 1, integer: true }),
  };
  if (settings.ngram === 0 && settings.lcs === 0) throw new UsageError('--ngram 0 and --lcs 0 turn off both rules; keep at least one');
  const workers = numberFlag(c, 'workers', values.workers, train.bytes > 8e6 ? availableParallelism() : 0, {
    min: 0,
    max: 64,
    integer: true,
  });
  const testField = values['test-field'] === undefined || values['test-field'] === 'auto' ? 'auto' : parseFieldSpec(values['test-field']);
  const progress = createByteProgress(io, 'decontaminate', train.bytes);
  const summary = await decontaminate({
    train: train.path,
    tests,
    field: parseFieldSpec(values.field ?? 'question'),
    testField,
    out,
    removed: values.removed === undefined ? undefined : path.resolve(io.cwd, values.removed),
    settings,
    workers,
    skipBad: values['skip-bad'],
    onProgress: (bytes) => progress.update(bytes),
  });
  progress.done();
  io.print(values.json ? JSON.stringify(summary, null, 2) : renderSummary(summary, io));
  return 0;
}

// The human summary: the train totals, then one row per test set.
function renderSummary(summary: DecontaminateSummary, io: CliIO): string {
  const s = io.out;
  const t = summary.train;
  const lines = [
    `${t.rows} train rows: kept ${t.kept}, removed ${t.removed} (n-gram ${summary.rules.ngram}, LCS ${summary.rules.lcs}, both ` +
      `${summary.rules.both})` +
      (t.bad + t.missingField > 0 ? `, skipped ${t.bad} malformed and ${t.missingField} without the field` : '') +
      ` in ${summary.seconds.toFixed(1)}s`,
    '',
  ];
  const rows = [['test set', 'items', 'removed', 'by n-gram', 'by LCS'].map((h) => s.bold(h))];
  for (const set of summary.testSets) rows.push([set.name, String(set.items), String(set.removed), String(set.ngram), String(set.lcs)]);
  lines.push(table(rows));
  return lines.join('\n');
}
