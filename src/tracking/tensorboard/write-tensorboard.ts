import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutboxEntry } from '../outbox.ts';
import { scalarRecord, versionRecord } from './event-record.ts';

// Writes the run's event file whole from every TensorBoard entry of the outbox, one record per iteration in
// iteration order (the RL phase's after the last iteration's, at the same step), and replaces the old file
// atomically. The same entries give the same bytes and a later file
// only adds records at the end, so rewriting is exactly-once by construction (no point twice after a crash) and a
// TensorBoard reading the file as it grows sees only new records.
export function writeTensorboard(dir: string, createdAt: string, entries: OutboxEntry[]): string {
  const start = Date.parse(createdAt) / 1000;
  const file = path.join(dir, `events.out.tfevents.${Math.floor(start)}.loop`);
  const records = [versionRecord(start)];
  const sorted = [...entries]
    .filter((e) => e.kind === 'iteration')
    .sort((a, b) => (a.data.iteration as number) - (b.data.iteration as number));
  for (const entry of sorted) {
    const scalars = Object.fromEntries(
      Object.entries(entry.data.metrics as Record<string, number>).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
    );
    records.push(scalarRecord({ wallTime: Date.parse(entry.at) / 1000, step: entry.data.iteration as number, scalars }));
  }
  mkdirSync(dir, { recursive: true });
  // Written aside, then renamed: the temporary name must not hold "tfevents", or TensorBoard would read a file
  // left by a crash as a second event file.
  const tmp = path.join(dir, `.loop-tensorboard.${process.pid}.tmp`);
  writeFileSync(tmp, Buffer.concat(records));
  renameSync(tmp, file);
  return file;
}
