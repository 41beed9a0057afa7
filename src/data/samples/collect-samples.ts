import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { DataError } from '../jsonl/jsonl-error.ts';
import { idOf, type Query } from '../queries/load-queries.ts';
import { extractAnswer } from '../grade/extract-answer.ts';
import { createBatchJudge } from '../grade/batch-judge.ts';
import { responseHash } from './response-hash.ts';

// What select and vote keep of a sample: a few numbers and the answer, never the response text.
export interface SampleRecord {
  line: number;
  rm: number;
  pred: string | null;
  // For labeled queries: the sample's "correct" field if graded, else judged here; undefined for unlabeled ones.
  correct: boolean | undefined;
  hash: number;
  hasQuestion: boolean;
}

export interface CollectOptions {
  samples: string;
  queries: Map<string, Query>;
  queryFiles: string[];
  skipBad?: boolean;
  // A sample without a numeric "rm" is an error (select) or leaves rm NaN (vote).
  requireRm: boolean;
  // Hash response texts (select: identical responses count once); records that can never be kept get hash 0.
  hashResponses: boolean;
  budgetMs: number;
  workers: number;
  onProgress?: (bytesRead: number) => void;
}

export interface CollectStats {
  rows: number;
  bad: number;
  bytes: number;
  missingRm: number;
  symbolic: number;
  timeouts: number;
}

// Pass one of select and vote: streams the samples and groups compact records by query id (about 100 bytes a
// sample), taking "pred" and "correct" from graded samples and working them out for ungraded ones.
export async function collectSamples(options: CollectOptions): Promise<{ groups: Map<string, SampleRecord[]>; stats: CollectStats }> {
  const groups = new Map<string, SampleRecord[]>();
  const read: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
  const stats: CollectStats = { rows: 0, bad: 0, bytes: 0, missingRm: 0, symbolic: 0, timeouts: 0 };
  const judge = createBatchJudge({ budgetMs: options.budgetMs, workers: options.workers });
  try {
    for await (const batch of readJsonlBatches<Record<string, unknown>>(
      options.samples,
      { skipBad: options.skipBad, onProgress: options.onProgress },
      read,
    )) {
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        const line = batch.lines[i]!;
        const problem = checkSample(row, options);
        if (problem) {
          if (options.skipBad) {
            stats.bad += 1;
            continue;
          }
          throw new DataError(`${options.samples}:${line}: ${problem}`);
        }
        const id = idOf(row.id)!;
        const query = options.queries.get(id)!;
        const rm = typeof row.rm === 'number' ? row.rm : Number.NaN;
        if (Number.isNaN(rm)) stats.missingRm += 1;
        const pred = 'pred' in row && (typeof row.pred === 'string' || row.pred === null) ? row.pred : extractAnswer(row.response);
        const keepable = options.hashResponses && !(query.answer !== undefined && row.correct === false);
        const record: SampleRecord = {
          line,
          rm,
          pred,
          correct: undefined,
          hash: keepable ? responseHash(row.response as string) : 0,
          hasQuestion: 'question' in row,
        };
        if (query.answer !== undefined) {
          if (typeof row.correct === 'boolean') record.correct = row.correct;
          else judge.judge(pred, query.answer, (equal) => (record.correct = equal));
        }
        let group = groups.get(id);
        if (!group) groups.set(id, (group = []));
        group.push(record);
        stats.rows += 1;
      }
      await judge.flush();
    }
  } finally {
    await judge.close();
  }
  stats.bad += read.bad;
  stats.bytes = read.bytes;
  stats.symbolic = judge.symbolic;
  stats.timeouts = judge.timeouts;
  return { groups, stats };
}

// Why a sample cannot be used, or undefined.
function checkSample(row: Record<string, unknown>, options: CollectOptions): string | undefined {
  const id = idOf(row.id);
  if (id === undefined || typeof row.response !== 'string')
    return 'a sample needs "id" and a string "response"; fix the line or pass --skip-bad';
  if (!options.queries.has(id))
    return `query "${id}" is not in ${options.queryFiles.join(', ')}; pass the queries the samples were drawn from`;
  if (options.requireRm && (typeof row.rm !== 'number' || !Number.isFinite(row.rm))) {
    return `the sample has no numeric "rm" (reward-model score); score the samples first, or pass --skip-bad to drop such lines`;
  }
  return undefined;
}
