import { EVOLVE_STAGES } from '../recipe/stage-names.ts';
import type { RunPaths } from './run-paths.ts';
import { readStageRecord, type StageStatus } from './stage-record.ts';

export interface StageSummary {
  status: StageStatus;
  startedAt: string;
  endedAt: string | null;
  exitCode: number | null;
  attempt: number;
  durationMs: number | null;
  /** Wall time of all the record's attempts together, once the stage ended; null while it runs (absent in index
   * lines written before it existed). */
  wallMs?: number | null;
}

// One iteration as status, diff and the index see it: its metrics as STAGE.METRIC and each stage's outcome.
export interface IterationSummary {
  index: number;
  metrics: Record<string, number>;
  stages: Record<string, StageSummary>;
}

// Reads one iteration's stage records from its folder (the index holds the same for finished iterations).
export function readIterationFolder(paths: RunPaths, index: number): IterationSummary {
  return { index, ...readStageSummaries(paths, index, EVOLVE_STAGES) };
}

// The records of some stages in one iteration (or of the RL phase), with the metrics of those that succeeded, named
// STAGE.METRIC.
export function readStageSummaries(paths: RunPaths, index: number, names: readonly string[]): Omit<IterationSummary, 'index'> {
  const metrics: Record<string, number> = {};
  const stages: Record<string, StageSummary> = {};
  for (const stage of names) {
    const record = readStageRecord(paths.stageStatus(index, stage));
    if (!record) continue;
    stages[stage] = {
      status: record.status,
      startedAt: record.startedAt,
      endedAt: record.endedAt ?? null,
      exitCode: record.exitCode,
      attempt: record.attempt,
      durationMs: record.durationMs ?? null,
      wallMs: record.status === 'running' ? null : record.attempts.reduce((sum, a) => sum + (a.durationMs ?? 0), 0),
    };
    if (record.status === 'succeeded') {
      for (const [key, value] of Object.entries(record.metrics)) metrics[`${stage}.${key}`] = value;
    }
  }
  return { metrics, stages };
}
