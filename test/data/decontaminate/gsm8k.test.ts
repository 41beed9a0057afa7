import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decontaminate } from '../../../src/data/decontaminate/decontaminate.ts';
import { DEFAULT_SETTINGS } from '../../../src/data/decontaminate/settings.ts';
import { buildTestIndex, type TestSetInput } from '../../../src/data/decontaminate/test-index.ts';
import { createLcsScratch } from '../../../src/data/decontaminate/lcs-bits.ts';
import { lcsRatioOf } from '../../../src/data/decontaminate/lcs-length.ts';
import { loadTestSet } from '../../../src/data/decontaminate/load-test-set.ts';
import { tokenize } from '../../../src/data/text/tokenize.ts';
import { readJsonl } from '../../../src/data/jsonl/read-jsonl.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { useDataDir } from '../../helpers/data-dir.ts';

const data = useDataDir();
const FIXTURES = fileURLToPath(new URL('../../fixtures/data/gsm8k/', import.meta.url));
// All of GSM8K is not in the repository (test/fixtures/data holds slices): this part needs the project's shared data
// sets, found through LOOP_SHARED_DATA, else in a shared/data folder beside the repository (as CI lays them out), and
// says so when it is skipped.
const SHARED = process.env.LOOP_SHARED_DATA
  ? `${process.env.LOOP_SHARED_DATA.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

// Brute force, the ground truth: every train item against every test item, the exact n-gram check and the exact LCS
// ratio (no candidate index). Returns the train lines (1-based, in file order) that either rule catches.
async function bruteForce(trainFile: string, testFile: string, every = 1): Promise<number[]> {
  const set = await loadTestSet(testFile, 0, 'auto', {});
  const index = buildTestIndex([set as TestSetInput], { ...DEFAULT_SETTINGS, maxPostings: Infinity });
  const grams = new Set(
    index.tokens.flatMap((ids) => Array.from({ length: Math.max(0, ids.length - 12) }, (_, p) => ids.slice(p, p + 13).join(','))),
  );
  const scratch = createLcsScratch(index.vocab.size);
  const caught: number[] = [];
  let n = 0;
  for await (const { row, line } of readJsonl(trainFile)) {
    if (n++ % every !== 0) continue;
    const ids = tokenize(row.question as string).map((t) => index.vocab.get(t) ?? -1);
    const ngram = ids.some((_, p) => p + 13 <= ids.length && grams.has(ids.slice(p, p + 13).join(',')));
    scratch.load(ids);
    const lcs = index.tokens.some((t) => lcsRatioOf(scratch.lcs(t), ids.length, t.length) >= 0.6);
    if (ngram || lcs) caught.push(line);
  }
  return caught;
}

async function removedLines(train: string, test: string, workers: number) {
  const summary = await decontaminate({
    train,
    tests: [test],
    field: ['question'],
    testField: 'auto',
    out: data.path('clean.jsonl'),
    removed: data.path('removed.jsonl'),
    settings: DEFAULT_SETTINGS,
    workers,
  });
  return { summary, lines: data.read('removed.jsonl').map((r) => r.train_line as number) };
}

describe('decontaminate on real GSM8K near-duplicates (fixture slice)', () => {
  it('removes exactly the train items brute force finds, each with its test item', async () => {
    const train = `${FIXTURES}train-slice.jsonl`;
    const test = `${FIXTURES}test-slice.jsonl`;
    const expected = await bruteForce(train, test);
    expect(expected.length).toBeGreaterThanOrEqual(20);
    const { summary, lines } = await removedLines(train, test, 0);
    expect(lines).toEqual(expected);
    expect(summary.train.kept).toBe(64 - expected.length);
    for (const r of data.read('removed.jsonl')) {
      const m = r.matches.find((x: { rule: string }) => x.rule === 'lcs') ?? r.matches[0];
      expect(m.test_set).toBe('test-slice');
      if (m.rule === 'lcs') expect(m.lcs_ratio).toBeGreaterThanOrEqual(0.6);
    }
  });
});

const NEEDS_DATA =
  `needs the shared data sets, which a clone does not have: no ${SHARED}gsm8k/train.jsonl; ` +
  'set LOOP_SHARED_DATA to a folder holding gsm8k/train.jsonl and gsm8k/test.jsonl to run it';
describeWith('all of GSM8K (the shared data sets)', existsSync(`${SHARED}gsm8k/train.jsonl`) || NEEDS_DATA, () => {
  it('finds the real near-duplicates between all of GSM8K train and test, missing none that brute force finds on every 8th ' +
    'item', async () => {
    const train = `${SHARED}gsm8k/train.jsonl`;
    const test = `${SHARED}gsm8k/test.jsonl`;
    const { summary, lines } = await removedLines(train, test, 2);
    expect(summary.train.rows).toBe(7473);
    expect(summary.train.removed).toBeGreaterThanOrEqual(20);
    const sampled = await bruteForce(train, test, 8);
    expect(sampled.length).toBeGreaterThan(0);
    expect(sampled.filter((line) => !lines.includes(line))).toEqual([]);
  }, 180_000);
});
