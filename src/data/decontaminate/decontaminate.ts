import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { createJsonlWriter, type JsonlWriter } from '../jsonl/write-jsonl.ts';
import { DataError } from '../jsonl/jsonl-error.ts';
import { readTextField } from '../text/read-text-field.ts';
import { loadTestSet } from './load-test-set.ts';
import { createMatchPool } from './match-pool.ts';
import { describeVerdict, type RemovedMatch } from './describe-verdict.ts';
import type { DecontaminateSettings } from './settings.ts';
import { buildTestIndex } from './test-index.ts';
import type { Verdict } from './match-item.ts';

export interface DecontaminateOptions {
  train: string;
  tests: string[];
  // Train-side field names, joined with a space ("question", or ["body", "question"]).
  field: string[];
  testField: string[] | 'auto';
  out: string;
  removed?: string;
  settings: DecontaminateSettings;
  workers: number;
  skipBad?: boolean;
  onProgress?: (bytesRead: number) => void;
}

export interface TestSetSummary {
  name: string;
  file: string;
  items: number;
  // Test rows without text, skipped under --skip-bad.
  skipped: number;
  // Train items whose first match (n-gram rule first, then LCS) is in this set.
  removed: number;
  // Train items matching an item of this set by each rule (an item can count under both rules).
  ngram: number;
  lcs: number;
}

export interface DecontaminateSummary {
  train: { rows: number; bad: number; bytes: number; kept: number; removed: number; missingField: number };
  rules: { ngram: number; lcs: number; both: number };
  testSets: TestSetSummary[];
  settings: DecontaminateSettings;
  seconds: number;
}

// `loop data decontaminate`: streams the train file through the matcher (on worker threads, which share the one test
// index this thread builds), writing clean rows to `out` and removed ones, with the test item and rule that caught
// each, to `removed`. Memory holds the test index and a few batches in flight, whatever the train file's size.
export async function decontaminate(options: DecontaminateOptions, now: () => number = Date.now): Promise<DecontaminateSummary> {
  const started = now();
  const loaded: Array<Awaited<ReturnType<typeof loadTestSet>>> = [];
  const pool = await createMatchPool(
    async (shared) => {
      for (const [set, spec] of options.tests.entries())
        loaded.push(await loadTestSet(spec, set, options.testField, { skipBad: options.skipBad }));
      return buildTestIndex(loaded, options.settings, shared);
    },
    options.settings,
    options.workers,
  );
  const refs = loaded.flatMap((s) => s.items);
  const setNames = loaded.map((s) => s.name);
  const summaries: TestSetSummary[] = loaded.map(({ name, file, items, skipped }) => ({
    name,
    file,
    items: items.length,
    skipped,
    removed: 0,
    ngram: 0,
    lcs: 0,
  }));
  const stats: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
  const rules = { ngram: 0, lcs: 0, both: 0 };
  let missingField = 0;
  const clean = createJsonlWriter(options.out);
  const removed: JsonlWriter | undefined = options.removed ? createJsonlWriter(options.removed) : undefined;
  const inFlight: Array<{
    rows: Record<string, unknown>[];
    lines: number[];
    texts: Array<string | null>;
    verdicts: Promise<Array<Verdict | null>>;
  }> = [];
  const depth = Math.max(2, options.workers * 2);

  const drain = async () => {
    const batch = inFlight.shift()!;
    const verdicts = await batch.verdicts;
    const keep: unknown[] = [];
    const drop: unknown[] = [];
    for (let i = 0; i < batch.rows.length; i++) {
      const verdict = verdicts[i];
      if (batch.texts[i] === null) continue;
      if (!verdict || (!verdict.ngram && !verdict.lcs)) {
        keep.push(batch.rows[i]);
        continue;
      }
      const matches = describeVerdict(verdict, refs, setNames);
      if (verdict.ngram) (summaries[refs[verdict.ngram.item]!.set]!.ngram += 1), (rules.ngram += 1);
      if (verdict.lcs) (summaries[refs[verdict.lcs.item]!.set]!.lcs += 1), (rules.lcs += 1);
      if (verdict.ngram && verdict.lcs) rules.both += 1;
      summaries[refs[(verdict.ngram ?? verdict.lcs)!.item]!.set]!.removed += 1;
      drop.push(removedRow(batch.lines[i]!, matches, batch.rows[i]!));
    }
    await clean.write(keep);
    if (removed) await removed.write(drop);
  };

  try {
    for await (const batch of readJsonlBatches(options.train, { skipBad: options.skipBad, onProgress: options.onProgress }, stats)) {
      const texts = batch.rows.map((row, i) => {
        const text = readTextField(row, options.field);
        if (text !== undefined) return text;
        if (!options.skipBad) {
          throw new DataError(
            `${options.train}:${batch.lines[i]}: no "${options.field.join('+')}" field to check; name the text field with --field, or ` +
              `pass --skip-bad to skip (and count) such rows`,
          );
        }
        missingField += 1;
        return null;
      });
      inFlight.push({ ...batch, texts, verdicts: pool.match(texts) });
      if (inFlight.length >= depth) await drain();
    }
    while (inFlight.length > 0) await drain();
    await clean.close();
    await removed?.close();
  } catch (error) {
    clean.abort();
    removed?.abort();
    throw error;
  } finally {
    await pool.close();
  }
  const dropped = summaries.reduce((sum, s) => sum + s.removed, 0);
  return {
    train: { rows: stats.rows, bad: stats.bad, bytes: stats.bytes, kept: clean.rows, removed: dropped, missingField },
    rules,
    testSets: summaries,
    settings: options.settings,
    seconds: (now() - started) / 1000,
  };
}

// A REMOVED line: where the row was in the train file, the rule that caught it first, every match, the row itself.
function removedRow(line: number, matches: RemovedMatch[], row: Record<string, unknown>) {
  return { train_line: line, rule: matches[0]!.rule, matches, row };
}
