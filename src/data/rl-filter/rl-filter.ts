import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { createJsonlWriter } from '../jsonl/write-jsonl.ts';
import { sampleId } from '../graded/graded-field.ts';
import { countCorrect } from './count-correct.ts';

export interface RlFilterOptions {
  samples: string;
  // Query rows to filter and pass through; without it, one row per query id is written from the samples.
  queries?: string;
  out: string;
  min: number;
  max: number;
  skipBad?: boolean;
  onProgress?: (bytesRead: number) => void;
}

export interface RlFilterSummary {
  samples: { rows: number; bad: number; invalid: number; bytes: number };
  queries: number;
  kept: number;
  tooFew: number;
  tooMany: number;
  // Queries in --queries that have no samples at all (dropped).
  withoutSamples: number;
  // How many queries have k correct samples, for every k seen.
  correctHistogram: Record<string, number>;
  samplesPerQuery: { min: number; max: number } | null;
}

// `loop data rl-filter`: keeps the queries whose count of correct samples lies within [min, max] (2..5 of 8 in the
// method: always-right and always-wrong queries give GRPO no signal). Writes the kept queries with `n_correct` and
// `n_samples` added, in the order of --queries (or of first appearance in the samples).
export async function rlFilter(options: RlFilterOptions): Promise<RlFilterSummary> {
  const stats: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
  const { counts, invalid } = await countCorrect(options.samples, options, stats);
  const histogram: Record<string, number> = {};
  let low = Infinity;
  let high = -Infinity;
  for (const count of counts.values()) {
    histogram[count.correct] = (histogram[count.correct] ?? 0) + 1;
    low = Math.min(low, count.samples);
    high = Math.max(high, count.samples);
  }
  const inRange = (correct: number) => correct >= options.min && correct <= options.max;
  const writer = createJsonlWriter(options.out);
  let withoutSamples = 0;
  try {
    if (options.queries === undefined) {
      const rows = [];
      for (const [id, count] of counts) {
        if (!inRange(count.correct)) continue;
        rows.push(
          count.question === undefined
            ? { id, n_correct: count.correct, n_samples: count.samples }
            : { id, question: count.question, n_correct: count.correct, n_samples: count.samples },
        );
        if (rows.length >= 4096) await writer.write(rows.splice(0));
      }
      await writer.write(rows);
    } else {
      for await (const batch of readJsonlBatches(options.queries, { skipBad: options.skipBad })) {
        const rows = [];
        for (const row of batch.rows) {
          const id = sampleId(row);
          const count = id.ok ? counts.get(id.value) : undefined;
          if (count === undefined) {
            withoutSamples += 1;
            continue;
          }
          if (!inRange(count.correct)) continue;
          row.n_correct = count.correct;
          row.n_samples = count.samples;
          rows.push(row);
        }
        await writer.write(rows);
      }
    }
    await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
  let tooFew = 0;
  let tooMany = 0;
  for (const count of counts.values()) {
    if (count.correct < options.min) tooFew += 1;
    else if (count.correct > options.max) tooMany += 1;
  }
  return {
    samples: { rows: stats.rows, bad: stats.bad, invalid, bytes: stats.bytes },
    queries: counts.size,
    kept: writer.rows,
    tooFew,
    tooMany,
    withoutSamples,
    correctHistogram: histogram,
    samplesPerQuery: counts.size > 0 ? { min: low, max: high } : null,
  };
}
