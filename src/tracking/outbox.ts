import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import type { TrackingPaths } from './tracking-paths.ts';

export type Sink = 'mlflow' | 'tensorboard' | 'notify';

// One point or message waiting to be sent. Its id is derived from what it stands for (`mlflow:iteration:3`), so
// the same fact found again after a crash is recognized and never queued twice; `at` is fixed when it is queued,
// so a resend after a crash is the same point (MLflow keeps one copy of an identical metric point).
export interface OutboxEntry {
  id: string;
  sink: Sink;
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export interface OutboxView {
  entries: OutboxEntry[];
  sent: Set<string>;
}

// Reads the outbox and the sent ids; a torn last line (a crash mid-append) is skipped, and its entry is queued
// again by the next sync.
export function readOutbox(paths: TrackingPaths): OutboxView {
  const entries: OutboxEntry[] = [];
  const seen = new Set<string>();
  for (const value of jsonLines(paths.outbox)) {
    const entry = value as OutboxEntry;
    if (typeof entry?.id !== 'string' || seen.has(entry.id)) continue;
    seen.add(entry.id);
    entries.push(entry);
  }
  const sent = new Set(jsonLines(paths.sent).filter((v): v is string => typeof v === 'string'));
  return { entries, sent };
}

// Appends the entries whose ids are not queued yet; returns how many were new. `known`: the ids queued so far, kept by
// the caller (the only writer of the outbox while it holds the run) so the outbox is not read again at every call;
// filled from the outbox when empty.
export function enqueue(paths: TrackingPaths, wanted: OutboxEntry[], known = new Set<string>()): number {
  if (wanted.length === 0) return 0;
  if (known.size === 0) for (const entry of readOutbox(paths).entries) known.add(entry.id);
  const ids = new Set<string>();
  const fresh = wanted.filter((e) => !known.has(e.id) && !ids.has(e.id) && (ids.add(e.id), true));
  if (fresh.length === 0) return 0;
  appendLines(
    paths.outbox,
    fresh.map((e) => JSON.stringify(e)),
  );
  // Known only once written: a failed append leaves them to the next call.
  for (const id of ids) known.add(id);
  return fresh.length;
}

// Records entries as delivered.
export function markSent(paths: TrackingPaths, ids: string[]): void {
  if (ids.length === 0) return;
  appendLines(
    paths.sent,
    ids.map((id) => JSON.stringify(id)),
  );
}

// Appends whole lines; after a line torn by a crash, the new ones start on a line of their own.
function appendLines(file: string, lines: string[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a+');
  try {
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    appendFileSync(fd, `${torn ? '\n' : ''}${lines.map((line) => `${line}\n`).join('')}`);
  } finally {
    closeSync(fd);
  }
}

// The entries not delivered yet, in the order they were queued, per sink when one is named.
export function pendingEntries(view: OutboxView, sink?: Sink): OutboxEntry[] {
  return view.entries.filter((e) => !view.sent.has(e.id) && (sink === undefined || e.sink === sink));
}

// How many entries wait to be sent, per sink (`loop status`).
export function pendingCounts(paths: TrackingPaths): Record<Sink, number> {
  const counts: Record<Sink, number> = { mlflow: 0, tensorboard: 0, notify: 0 };
  for (const e of pendingEntries(readOutbox(paths))) counts[e.sink] += 1;
  return counts;
}

function jsonLines(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const values: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      // a torn line
    }
  }
  return values;
}
