import { readJsonlBatches, type JsonlStats, type ReadJsonlOptions } from '../jsonl/read-jsonl.ts';
import { missingFieldError, sampleCorrect, sampleId } from '../graded/graded-field.ts';

export interface QueryCount {
  samples: number;
  correct: number;
  // The first sample's `question`, when samples carry it (written out when no --queries file is given).
  question?: unknown;
}

// Counts samples and correct samples per query id in one pass. Memory grows with the number of distinct queries
// (a few numbers each), not with samples, and the input need not be grouped or sorted.
export async function countCorrect(
  file: string,
  options: ReadJsonlOptions,
  stats: JsonlStats,
): Promise<{ counts: Map<string, QueryCount>; invalid: number }> {
  const counts = new Map<string, QueryCount>();
  let invalid = 0;
  for await (const batch of readJsonlBatches(file, options, stats)) {
    for (let i = 0; i < batch.rows.length; i++) {
      const row = batch.rows[i]!;
      const id = sampleId(row);
      const correct = sampleCorrect(row);
      if (!id.ok || !correct.ok) {
        if (!options.skipBad) throw missingFieldError(file, batch.lines[i]!, !id.ok ? id.why : !correct.ok ? correct.why : '');
        invalid += 1;
        continue;
      }
      let count = counts.get(id.value);
      if (count === undefined) {
        count = { samples: 0, correct: 0 };
        if (row.question !== undefined) count.question = row.question;
        counts.set(id.value, count);
      }
      count.samples += 1;
      if (correct.value) count.correct += 1;
    }
  }
  return { counts, invalid };
}
