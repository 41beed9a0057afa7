import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueue, markSent, pendingCounts, pendingEntries, readOutbox, type OutboxEntry } from '../../src/tracking/outbox.ts';
import { trackingPaths } from '../../src/tracking/tracking-paths.ts';
import { runPaths } from '../../src/run-folder/run-paths.ts';

const home = mkdtempSync(path.join(tmpdir(), 'loop-outbox-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const entry = (id: string, sink: OutboxEntry['sink'], at = '2026-12-04T07:00:00.000Z'): OutboxEntry => ({
  id,
  sink,
  kind: 'iteration',
  at,
  data: { iteration: Number(id.split(':').at(-1)) },
});

describe('the tracking outbox (tracking/outbox.jsonl and sent.jsonl)', () => {
  it('queues each id once, keeping the first entry: the same facts found again after a crash add nothing', () => {
    const tp = trackingPaths(runPaths(home, 'once'));
    expect(enqueue(tp, [entry('mlflow:iteration:0', 'mlflow'), entry('notify:iteration_finished:0', 'notify')])).toBe(2);
    // Found again later (a resumed controller): a new timestamp, the same id.
    expect(enqueue(tp, [entry('mlflow:iteration:0', 'mlflow', '2026-12-04T08:00:00.000Z'), entry('mlflow:iteration:1', 'mlflow')])).toBe(1);
    const view = readOutbox(tp);
    expect(view.entries.map((e) => e.id)).toEqual(['mlflow:iteration:0', 'notify:iteration_finished:0', 'mlflow:iteration:1']);
    expect(view.entries[0]!.at).toBe('2026-12-04T07:00:00.000Z');
  });

  it('counts what is not marked sent, per sink, in the order it was queued', () => {
    const tp = trackingPaths(runPaths(home, 'counts'));
    enqueue(tp, [
      entry('mlflow:iteration:0', 'mlflow'),
      entry('tensorboard:iteration:0', 'tensorboard'),
      entry('mlflow:iteration:1', 'mlflow'),
    ]);
    markSent(tp, ['mlflow:iteration:0']);
    expect(pendingCounts(tp)).toEqual({ mlflow: 1, tensorboard: 1, notify: 0 });
    expect(pendingEntries(readOutbox(tp), 'mlflow').map((e) => e.id)).toEqual(['mlflow:iteration:1']);
  });

  it('skips a line torn by a crash mid-append, so the next sync queues that entry again', () => {
    const tp = trackingPaths(runPaths(home, 'torn'));
    enqueue(tp, [entry('mlflow:iteration:0', 'mlflow')]);
    appendFileSync(tp.outbox, '{"id":"mlflow:iteration:1","sink":"mlfl');
    appendFileSync(tp.sent, '"mlflow:itera');
    expect(readOutbox(tp).entries.map((e) => e.id)).toEqual(['mlflow:iteration:0']);
    expect(pendingCounts(tp).mlflow).toBe(1);
    // What is appended after a torn line starts on its own line.
    expect(enqueue(tp, [entry('mlflow:iteration:1', 'mlflow')])).toBe(1);
    markSent(tp, ['mlflow:iteration:0']);
    expect(readOutbox(tp).entries.map((e) => e.id)).toEqual(['mlflow:iteration:0', 'mlflow:iteration:1']);
    expect(pendingEntries(readOutbox(tp)).map((e) => e.id)).toEqual(['mlflow:iteration:1']);
  });
});
