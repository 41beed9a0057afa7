import { fileSize } from '../jsonl/file-size.ts';
import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { createJsonlWriter } from '../jsonl/write-jsonl.ts';
import { DataError } from '../jsonl/jsonl-error.ts';
import { idOf, loadQueries } from '../queries/load-queries.ts';
import { extractAnswer, type ExtractMode } from './extract-answer.ts';
import { createBatchJudge } from './batch-judge.ts';
import { tirAnswerText } from './tir-answer-text.ts';
import { checkTir, parseTir, type TirLimits } from '../tir/index.ts';

export interface GradeOptions {
  queries: string[];
  samples: string;
  out: string;
  skipBad?: boolean;
  // Per-item time budget of the symbolic check, in milliseconds.
  budgetMs?: number;
  // Worker threads for the symbolic check (0: in this thread, no budget).
  workers?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  // Re-execute TIR responses' python blocks (sandboxed, limited) and grade one whose stated ```output blocks its
  // code does not print as not correct (docs/data/grading.md). Absent: TIR responses are graded on their text alone.
  tirCheck?: TirLimits;
  // `boxed`: only a \boxed{} answer counts (docs/data/grading.md §1); default `auto`, the full precedence.
  extract?: ExtractMode;
}

export interface GradeStats {
  samples: number;
  labeled: number;
  correct: number;
  unlabeled: number;
  // Samples with no final answer found (pred null).
  noAnswer: number;
  // Pairs that needed the symbolic check, and those stopped by the time budget (graded not correct).
  symbolic: number;
  timeouts: number;
  // Pairs beyond the symbolic step's work bounds (a 10,000-character or deeply nested answer): not correct.
  bounded: number;
  bad: number;
  bytes: number;
  // With tirCheck: responses re-executed, and those whose stated outputs their code does not print.
  tirChecked: number;
  tirInconsistent: number;
}

// `loop data grade`: streams samples, adds `pred` (the extracted final answer) and, for labeled queries, `correct`.
// Numbers, fractions and plain forms are judged in this thread; only pairs needing the symbolic engine go to the
// worker pool, batch by batch, so the output keeps the input's order and memory stays flat.
export async function gradeFiles(options: GradeOptions): Promise<GradeStats> {
  const queries = await loadQueries(options.queries, { skipBad: options.skipBad });
  const total = fileSize(options.samples);
  const read: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
  const stats: GradeStats = {
    samples: 0,
    labeled: 0,
    correct: 0,
    unlabeled: 0,
    noAnswer: 0,
    symbolic: 0,
    timeouts: 0,
    bounded: 0,
    bad: 0,
    bytes: 0,
    tirChecked: 0,
    tirInconsistent: 0,
  };
  const judge = createBatchJudge({ workers: options.workers ?? 2, budgetMs: options.budgetMs ?? 30_000 });
  const writer = createJsonlWriter(options.out);
  try {
    const batches = readJsonlBatches<Record<string, unknown>>(
      options.samples,
      { skipBad: options.skipBad, onProgress: (b) => options.onProgress?.(b, total) },
      read,
    );
    for await (const batch of batches) {
      const rows: Array<Record<string, unknown>> = [];
      for (let i = 0; i < batch.rows.length; i++) {
        const row = batch.rows[i]!;
        const where = `${options.samples}:${batch.lines[i]}`;
        const id = idOf(row.id);
        const query = id === undefined ? undefined : queries.get(id);
        if (query === undefined || typeof row.response !== 'string') {
          if (options.skipBad) {
            stats.bad += 1;
            continue;
          }
          throw new DataError(
            id === undefined || typeof row.response !== 'string'
              ? `${where}: a sample needs "id" and a string "response"; fix the line or pass --skip-bad`
              : `${where}: query "${id}" is not in ${options.queries.join(', ')}; pass the queries the samples were drawn from`,
          );
        }
        const pred = extractAnswer(tirAnswerText(row.response), options.extract ?? 'auto');
        row.pred = pred;
        if (pred === null) stats.noAnswer += 1;
        if (query.answer === undefined) stats.unlabeled += 1;
        else {
          stats.labeled += 1;
          judge.judge(pred, query.answer, (equal) => {
            row.correct = equal;
            if (equal) stats.correct += 1;
          });
        }
        rows.push(row);
      }
      await judge.flush();
      if (options.tirCheck) await checkTirRows(rows, options.tirCheck, stats);
      stats.samples += rows.length;
      await writer.write(rows);
    }
    await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    await judge.close();
  }
  stats.symbolic = judge.symbolic;
  stats.timeouts = judge.timeouts;
  stats.bounded = judge.bounded;
  stats.bad += read.bad;
  stats.bytes = read.bytes;
  return stats;
}

// Re-executes the TIR responses of one batch, two at a time (one Python process each), and records the verdict.
async function checkTirRows(rows: Array<Record<string, unknown>>, limits: TirLimits, stats: GradeStats): Promise<void> {
  const queue = rows.filter((row) => parseTir(row.response as string).steps.length > 0);
  const work = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const check = await checkTir(row.response as string, limits);
      stats.tirChecked += 1;
      row.tir_consistent = check.consistent;
      if (check.consistent) continue;
      stats.tirInconsistent += 1;
      if (row.correct === true) {
        row.correct = false;
        stats.correct -= 1;
      }
    }
  };
  await Promise.all([work(), work()]);
}
