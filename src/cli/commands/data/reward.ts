import path from 'node:path';
import type { CliIO } from '../../io.ts';
import { parseFlags, HELP_FLAG, JSON_FLAG, numberFlag, requiredFlag } from '../../parse-flags.ts';
import { addRewards } from '../../../data/reward/add-rewards.ts';
import { createByteProgress } from '../../output/byte-progress.ts';
import { inputFile } from '../../input-file.ts';

import { checkDataPaths } from './check-data-paths.ts';
export const rewardHelp = `Usage: loop data reward --samples S --out OUT [--alpha 0.5] [--skip-bad] [--json]

Adds "reward": sigmoid(alpha · rm) + (correct − 1) to every graded, scored sample (fields "correct"
and "rm"); every wrong answer then scores below every right one. Streams: memory stays flat.

Options:
  --samples FILE  graded samples (JSONL with "correct" and "rm")
  --out FILE      the samples with "reward" added (other fields pass through)
  --alpha A       the RM score's scale (default 0.5, the method's)
  --skip-bad      skip malformed lines and rows without "correct" or "rm", and count them, instead of stopping
  --json          print the summary as JSON
  -h, --help      show this help

Exit codes: 0, 2 for a bad flag, 7 for a missing file, a malformed line or a row without "correct"/"rm"
Docs: docs/reference/cli/data-reward.md`;

// `loop data reward`: parse flags, add the shaped reward, print a summary.
export async function dataSubcommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseFlags('data reward', argv, {
    ...HELP_FLAG,
    ...JSON_FLAG,
    samples: { type: 'string' },
    out: { type: 'string' },
    alpha: { type: 'string' },
    'skip-bad': { type: 'boolean' },
  });
  if (values.help) return (io.print(rewardHelp), 0);
  const samples = inputFile(io.cwd, 'samples', requiredFlag('data reward', 'samples', values.samples));
  const out = path.resolve(io.cwd, requiredFlag('data reward', 'out', values.out));
  checkDataPaths(io.cwd, [['samples', samples.path]], [['out', values.out]]);
  const alpha = numberFlag('data reward', 'alpha', values.alpha, 0.5);
  const progress = createByteProgress(io, 'reward', samples.bytes);
  const summary = await addRewards({
    samples: samples.path,
    out,
    alpha,
    skipBad: values['skip-bad'],
    onProgress: (b) => progress.update(b),
  });
  progress.done();
  if (values.json) return (io.print(JSON.stringify(summary, null, 2)), 0);
  const mean = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  io.print(
    `${summary.written} of ${summary.rows} samples rewarded (alpha ${alpha}): ${summary.correct.count} correct (mean reward ` +
      `${mean(summary.correct.meanReward)}), ` +
      `${summary.wrong.count} wrong (mean ${mean(summary.wrong.meanReward)})` +
      (summary.bad + summary.invalid > 0 ? `; skipped ${summary.bad} malformed lines and ${summary.invalid} rows without correct/rm` : ''),
  );
  return 0;
}
