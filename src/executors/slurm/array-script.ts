import path from 'node:path';
import type { ShardJob, StageJob } from '../executor.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';
import { wrapperScript } from '../common/wrapper-script.ts';
import { shellQuote } from '../common/shell-quote.ts';
import { sbatchOptions } from './batch-script.ts';
import { formatArrayIndices } from './array-indices.ts';
import { shardLogPattern } from '../shards/shard-paths.ts';

type SlurmSpec = Extract<ExecutorSpec, { kind: 'slurm' }>;

// The batch script of one job array (one task per shard still to run): the stage's sbatch options with each task's
// output in its shard folder and `--array` naming the shards, then one wrapper per shard chosen by
// SLURM_ARRAY_TASK_ID, so every shard leaves its own PREFIX.starts and PREFIX.exit as a lone job would.
export function arrayBatchScript(array: StageJob, shards: ShardJob[], spec: SlurmSpec, name: string, parallel?: number): string {
  const stageDir = path.dirname(array.controlPrefix ?? array.logFile);
  const options = sbatchOptions({ ...array, logFile: shardLogPattern(stageDir) }, spec, name);
  return [
    '#!/bin/sh',
    ...options.map((option) => `#SBATCH ${option}`),
    `#SBATCH --array=${formatArrayIndices(
      shards.map((s) => s.shard),
      parallel,
    )}`,
    `# Written by loop: ${name}, one task per shard; each records its outcome in ` +
      `shards/K/${path.basename(shards[0]?.controlPrefix ?? 'attempt-N')}.exit.`,
    `echo "=== slurm: job \${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID} on $(hostname) · restart \${SLURM_RESTART_COUNT:-0}" >&2`,
    `cd ${shellQuote(array.cwd)} || exit 1`,
    'case "${SLURM_ARRAY_TASK_ID:-}" in',
    ...shards.flatMap((shard) => [
      `${shard.shard})`,
      wrapperScript({ prefix: shard.controlPrefix!, env: shard.env, setup: spec.setup, argv: shard.argv }),
      ';;',
    ]),
    `*) echo "loop: this array has no shard \${SLURM_ARRAY_TASK_ID:-}" >&2; exit 127 ;;`,
    'esac',
    '',
  ].join('\n');
}
