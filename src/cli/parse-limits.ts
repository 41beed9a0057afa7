import { UsageError } from '../errors/loop-error.ts';
import type { ExecutorLimits } from '../executors/wrappers/limits/limit-executors.ts';

const KINDS = ['local', 'slurm', 'ssh'];

// `--limit local=1 --limit slurm=8`: per executor kind, how many stages may run at once across the runs.
export function parseLimits(texts: string[] | undefined): ExecutorLimits {
  const limits: ExecutorLimits = {};
  for (const text of texts ?? []) {
    const match = /^([a-z]+)=(\d+)$/.exec(text.trim());
    if (!match || !KINDS.includes(match[1]!) || Number(match[2]) < 1) {
      throw new UsageError(`--limit "${text}" is not KIND=N with KIND one of ${KINDS.join(', ')} and N ≥ 1, e.g. --limit local=1`);
    }
    limits[match[1]!] = Number(match[2]);
  }
  return limits;
}

// `--max-parallel N`: how many runs go at once; absent, all of them.
export function parseMaxParallel(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--max-parallel "${text}" is not a whole number ≥ 1, e.g. --max-parallel 2`);
  return Number(text);
}
