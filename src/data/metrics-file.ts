import { writeFileSync } from 'node:fs';
import { DataError } from './jsonl/jsonl-error.ts';

// Writes a data step's statistics as a stage's metrics.json (a flat object of finite numbers, docs/stage-contract.md),
// so a built-in stage kind reports them like any stage.
export function writeMetricsFile(file: string, metrics: Record<string, number>): void {
  const flat = Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
  try {
    writeFileSync(file, `${JSON.stringify(flat, null, 2)}\n`);
  } catch (error) {
    throw new DataError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}
