import { afterAll, describe, expect, it } from 'vitest';
import { createSlots } from '../../../../src/executors/wrappers/limits/create-slots.ts';
import { limitExecutors } from '../../../../src/executors/wrappers/limits/limit-executors.ts';
import { createLocalExecutor } from '../../../../src/executors/local/run-local.ts';
import type { StageJob } from '../../../../src/executors/executor.ts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job = (argv: string[], signal?: AbortSignal): StageJob => ({ argv, cwd: dir, env: {}, logFile: path.join(dir, 'log.txt'), signal });

describe('slots', () => {
  it('grants at most the limit at once, the rest in arrival order; a double release frees once', async () => {
    const slots = createSlots(2);
    const order: number[] = [];
    const a = await slots.acquire();
    const b = await slots.acquire();
    const waiting = [slots.acquire().then((r) => (order.push(3), r)), slots.acquire().then((r) => (order.push(4), r))];
    expect([slots.busy, slots.waiting]).toEqual([2, 2]);
    a();
    a();
    const c = await waiting[0]!;
    expect([slots.busy, slots.waiting, order]).toEqual([2, 1, [3]]);
    b();
    c();
    (await waiting[1]!)();
    expect([slots.busy, slots.waiting, order]).toEqual([0, 0, [3, 4]]);
  });
});

describe('executor limits', () => {
  it('runs real processes of a limited kind one at a time, unlimited kinds pass through', async () => {
    const local = createLocalExecutor();
    const executorFor = limitExecutors(() => local, { local: 1 });
    expect(limitExecutors(() => local, {})('local')).toBe(local);
    const started = Date.now();
    const results = await Promise.all([1, 2, 3].map(() => executorFor('local').run(job(['sleep', '0.3']))));
    expect(results.every((r) => r.ok)).toBe(true);
    // Three 0.3 s sleeps in a row: at least 0.9 s; in parallel they would take about 0.3 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a stage canceled while it waits for a slot never starts and comes back canceled', async () => {
    const executor = limitExecutors(() => createLocalExecutor(), { local: 1 })('local');
    const first = executor.run(job(['sleep', '0.5']));
    const abort = new AbortController();
    const second = executor.run(job(['touch', path.join(dir, 'must-not-exist')], abort.signal));
    abort.abort();
    const canceled = await second;
    expect(canceled).toMatchObject({ ok: false, canceled: true });
    expect((await first).ok).toBe(true);
    expect(existsSync(path.join(dir, 'must-not-exist'))).toBe(false);
    // The slot the canceled stage never took is free: the next stage starts at once.
    expect((await executor.run(job(['true']))).ok).toBe(true);
  });
});
