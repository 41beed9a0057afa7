import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic-write.ts';

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

// `durable: false` skips the fsyncs (still atomic): for a record that a reboot makes moot anyway. Such a record for a
// stage that has none yet is written in place, a file less to create: a controller killed meanwhile leaves it whole or
// empty, and an empty record reads as none, as it should (the attempt it describes is started only after it).
export function writeStageRecord(file: string, record: StageRecord, options: { durable?: boolean } = {}): void {
  const text = `${JSON.stringify(record, null, 2)}\n`;
  if (options.durable === false && writeIfNew(file, text)) return;
  writeFileAtomic(file, text, options);
}

function writeIfNew(file: string, text: string): boolean {
  try {
    writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    rmSync(file, { force: true }); // a write cut short (a full disk) leaves no partial record behind
    throw error;
  }
}

// Reads a stage's status.json, or undefined when the stage never started. An unreadable record (written atomically,
// so only damaged by hand or by the disk) counts as no record: the stage runs again rather than being trusted.
export function readStageRecord(file: string): StageRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as StageRecord;
    return typeof record === 'object' && record !== null && typeof record.status === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}
