import { readJsonlBatches, type JsonlStats } from '../jsonl/read-jsonl.ts';
import { createJsonlWriter } from '../jsonl/write-jsonl.ts';
import { missingFieldError, sampleCorrect, sampleRm } from '../graded/graded-field.ts';
import { shapedReward } from './shaped-reward.ts';

export interface AddRewardsOptions {
  samples: string;
  out: string;
  alpha: number;
  skipBad?: boolean;
  onProgress?: (bytesRead: number) => void;
}

export interface RewardSummary {
  rows: number;
  written: number;
  // Malformed lines and rows without `correct` or `rm`, skipped under --skip-bad.
  bad: number;
  invalid: number;
  bytes: number;
  alpha: number;
  correct: { count: number; meanReward: number | null };
  wrong: { count: number; meanReward: number | null };
}

// `loop data reward`: adds "reward" to every graded, scored sample, streaming batch by batch (memory stays flat).
export async function addRewards(options: AddRewardsOptions): Promise<RewardSummary> {
  const stats: JsonlStats = { rows: 0, bad: 0, bytes: 0 };
  const writer = createJsonlWriter(options.out);
  const sums = { correct: 0, wrong: 0, nCorrect: 0, nWrong: 0 };
  let invalid = 0;
  try {
    for await (const batch of readJsonlBatches(options.samples, options, stats)) {
      const rows = batch.rows;
      let write = rows;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const rm = sampleRm(row);
        const correct = sampleCorrect(row);
        if (!rm.ok || !correct.ok) {
          if (!options.skipBad) throw missingFieldError(options.samples, batch.lines[i]!, !rm.ok ? rm.why : !correct.ok ? correct.why : '');
          invalid += 1;
          if (write === rows) write = rows.slice(0, i);
          continue;
        }
        const reward = shapedReward(rm.value, correct.value, options.alpha);
        row.reward = reward;
        if (correct.value) (sums.correct += reward), (sums.nCorrect += 1);
        else (sums.wrong += reward), (sums.nWrong += 1);
        if (write !== rows) write.push(row);
      }
      await writer.write(write);
    }
    await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
  return {
    rows: stats.rows,
    written: writer.rows,
    bad: stats.bad,
    invalid,
    bytes: stats.bytes,
    alpha: options.alpha,
    correct: { count: sums.nCorrect, meanReward: sums.nCorrect > 0 ? sums.correct / sums.nCorrect : null },
    wrong: { count: sums.nWrong, meanReward: sums.nWrong > 0 ? sums.wrong / sums.nWrong : null },
  };
}
