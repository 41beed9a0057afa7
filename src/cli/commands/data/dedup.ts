import path from 'node:path';
import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { dedup, AUTO_FIELDS } from '../../../data/dedup/dedup.ts';
import { parseFieldSpec } from '../../../data/text/read-text-field.ts';
import { createByteProgress } from '../../output/byte-progress.ts';
import { inputFile } from '../../input-file.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const dedupHelp = `Usage: loop data dedup --in X --out Y [--threshold 0.8] [--removed R] [--field auto]
                      [--num-perm 128] [--shingle 5] [--skip-bad] [--json]

Drops near-duplicate rows with MinHash-LSH: rows whose token 5-gram shingle sets have an estimated
Jaccard similarity ≥ threshold with an earlier kept row. The first of each group is kept, in input
order. Text is normalized and tokenized as for decontaminate. Details: docs/data/dedup.md.

Options:
  --in FILE        input JSONL
  --out FILE       the rows kept
  --removed FILE   the rows dropped, each with the line of the kept row it duplicates and the estimate
  --threshold J    Jaccard similarity at which two rows are duplicates (default 0.8)
  --field F        text field; "a+b" joins fields (default auto: the first of ${AUTO_FIELDS.join(', ')})
  --num-perm N     MinHash permutations (default 128); bands and rows follow from it and the threshold
  --shingle N      tokens per shingle (default 5)
  --skip-bad       skip malformed lines and rows without the field, and count them, instead of stopping
  --json           print the summary as JSON
  -h, --help       show this help

Exit codes: 0, 2 for a bad flag, 7 for a missing file, a malformed line or a row without the field
Docs: docs/reference/cli/data-dedup.md`;

// `loop data dedup`: parse flags, drop near-duplicates, print what was kept and the LSH parameters used.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseFlags('data dedup', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    in: { type: 'string' },
    out: { type: 'string' },
    removed: { type: 'string' },
    threshold: { type: 'string' },
    field: { type: 'string' },
    'num-perm': { type: 'string' },
    shingle: { type: 'string' },
    'skip-bad': { type: 'boolean' },
  });
  if (values.help) return (io.print(dedupHelp), 0);
  const c = 'data dedup';
  const input = inputFile(io.cwd, 'in', requiredFlag(c, 'in', values.in));
  const out = path.resolve(io.cwd, requiredFlag(c, 'out', values.out));
  checkDataPaths(
    io.cwd,
    [['in', input.path]],
    [
      ['out', values.out],
      ['removed', values.removed],
    ],
  );
  const progress = createByteProgress(io, c, input.bytes);
  const summary = await dedup({
    input: input.path,
    out,
    removed: values.removed === undefined ? undefined : path.resolve(io.cwd, values.removed),
    field: values.field === undefined || values.field === 'auto' ? 'auto' : parseFieldSpec(values.field),
    threshold: numberFlag(c, 'threshold', values.threshold, 0.8, { min: 0.01, max: 1 }),
    numPerm: numberFlag(c, 'num-perm', values['num-perm'], 128, { min: 8, max: 1024, integer: true }),
    shingle: numberFlag(c, 'shingle', values.shingle, 5, { min: 1, max: 100, integer: true }),
    skipBad: values['skip-bad'],
    onProgress: (b) => progress.update(b),
  });
  progress.done();
  if (values.json) return (io.print(JSON.stringify(summary, null, 2)), 0);
  const l = summary.lsh;
  io.print(
    `kept ${summary.kept} of ${summary.rows} rows, removed ${summary.removed} near-duplicates (Jaccard ≥ ${l.threshold}; ` +
      `${l.numPerm} permutations, ${l.bands} bands × ${l.rows} rows, ${l.shingle}-token shingles)` +
      (summary.bad + summary.missingField > 0
        ? `; skipped ${summary.bad} malformed lines and ${summary.missingField} rows without the field`
        : ''),
  );
  return 0;
}
