import { readFileSync } from 'node:fs';
import { writeInPlace } from '../fs/write-in-place.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { RL_STAGES } from '../recipe/stage-names.ts';
import type { RunPaths } from './run-paths.ts';

export type StageStatus = 'running' | 'succeeded' | 'failed' | 'canceled';

export interface AttemptRecord {
  attempt: number;
  startedAt: string;
  endedAt?: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs?: number;
  /** Why the attempt failed, in words. */
  reason?: string;
}

// A stage folder's status.json: what ran, how it ended, what it produced; written atomically at each change.
export interface StageRecord {
  stage: string;
  iteration: number;
  status: StageStatus;
  attempt: number;
  /** The argument list as run (placeholders substituted). */
  command: string[];
  executor: string;
  startedAt: string;
  endedAt?: string;
  exitCode: number | null;
  signal: string | null;
  durationMs?: number;
  metrics: Record<string, number>;
  /** Declared outputs: name → absolute path, size in bytes and sha256 (a folder's: over its files). */
  outputs: Record<string, { path: string; bytes: number; sha256: string }>;
  attempts: AttemptRecord[];
  reason?: string;
}

// Written in place (fs/write-in-place.ts): a stage's record is rewritten at each attempt's start and end, and a
// temporary file renamed over it would create one file and free another each time, which on some file systems costs
// more than the write (docs/performance.md). `durable: false` skips the fsyncs, for a record that a reboot makes moot
// anyway. A record over one page is written atomically instead (temporary file, rename).
export function writeStageRecord(file: string, record: StageRecord, options: { durable?: boolean } = {}): void {
  const text = `${JSON.stringify(record, null, 2)}\n`;
  const durable = options.durable ?? true;
  if (!writeInPlace(file, text, durable)) writeFileAtomic(file, text, { durable });
}

// Reads a stage's status.json, or undefined when the stage never started. A record read while the controller
// rewrites it is read again once; one still unreadable (empty, torn by a power loss, damaged by hand) counts as no
// record: the stage runs again rather than being trusted.
export function readStageRecord(file: string): StageRecord | undefined {
  const first = parseRecord(file);
  if (first !== 'unreadable') return first;
  const second = parseRecord(file);
  return second === 'unreadable' ? undefined : second;
}

function parseRecord(file: string): StageRecord | 'unreadable' | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as StageRecord;
    return typeof record === 'object' && record !== null && typeof record.status === 'string' ? record : undefined;
  } catch {
    return 'unreadable';
  }
}

// The record of a stage of iteration N. An RL stage has one folder whatever the iteration (rl/STAGE), so its record
// belongs only to the iteration the phase ran after, which it names; asked for any other iteration, there is none.
export function readIterationStageRecord(paths: RunPaths, iteration: number, stage: string): StageRecord | undefined {
  const record = readStageRecord(paths.stageStatus(iteration, stage));
  return record?.iteration === iteration ? record : undefined;
}

// The iteration the RL phase ran after, as its stage records name it (the phase starts once, so every one of its records
// names the same iteration), or undefined before an RL stage has started. The iteration argument of stageStatus means
// nothing for an RL folder.
export function rlPhaseIteration(paths: RunPaths): number | undefined {
  for (const stage of RL_STAGES) {
    const record = readStageRecord(paths.stageStatus(0, stage));
    if (record) return record.iteration;
  }
  return undefined;
}
