import { describe, expect, it } from 'vitest';
import type { Executor, ShardedExecutor, StageExecution, StageJob } from '../../../src/executors/executor.ts';
import { wrapExecutor } from '../../../src/executors/wrappers/wrap-executor.ts';
import { limitExecutors } from '../../../src/executors/wrappers/limits/limit-executors.ts';
import { withTransfer } from '../../../src/executors/wrappers/transfer/with-transfer.ts';

const outcome = (pid: number): StageExecution => ({
  ok: true,
  exitCode: 0,
  signal: null,
  timedOut: false,
  canceled: false,
  durationMs: 1,
  pid,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:00.001Z',
});
const job: StageJob = { argv: ['true'], cwd: '/', env: {}, logFile: '/dev/null' };

// An executor with every capability there is, plus one the interface may grow later, each recording its calls.
function fullExecutor(calls: string[]): ShardedExecutor & { drain(): string } {
  return {
    kind: 'fake',
    sharesControllerHost: true,
    run: async () => (calls.push('run'), outcome(1)),
    reattach: async () => (calls.push('reattach'), outcome(2)),
    runShards: async (_array, shards) => (calls.push('runShards'), shards.map((s) => outcome(10 + s.shard))),
    drain() {
      calls.push('drain');
      return this.kind;
    },
  };
}

// The names of an executor's methods and properties, sorted.
const shape = (executor: object) => Object.keys(executor).sort();

describe('wrapExecutor', () => {
  it('keeps every method and property of the wrapped executor, hooks only the named ones, binds `this`', async () => {
    const calls: string[] = [];
    const inner = fullExecutor(calls);
    const wrapped = wrapExecutor(inner, { run: async (next, j) => (calls.push('before run'), next(j)) });
    expect(shape(wrapped)).toEqual(shape(inner));
    expect(wrapped.sharesControllerHost).toBe(true);
    expect((await wrapped.run(job)).pid).toBe(1);
    expect((await wrapped.reattach!(job, ''))?.pid).toBe(2);
    expect(
      (
        await wrapped.runShards(
          job,
          [
            { ...job, shard: 0 },
            { ...job, shard: 1 },
          ],
          { count: 2 },
        )
      ).map((e) => e.pid),
    ).toEqual([10, 11]);
    expect(wrapped.drain()).toBe('fake');
    expect(calls).toEqual(['before run', 'run', 'reattach', 'runShards', 'drain']);
  });

  it('adds no method the wrapped executor lacks, even one it hooks', () => {
    const inner: Executor = { kind: 'plain', run: async () => outcome(1) };
    const wrapped = wrapExecutor(inner, { reattach: async () => undefined, runShards: async () => [] });
    expect(shape(wrapped)).toEqual(['kind', 'run']);
  });

  it('keeps methods a class-based executor holds on its prototype', async () => {
    class Backend implements Executor {
      readonly kind = 'class';
      async run() {
        return outcome(7);
      }
      async reattach() {
        return undefined;
      }
    }
    const wrapped = wrapExecutor(new Backend(), {});
    expect(shape(wrapped)).toEqual(['kind', 'reattach', 'run']);
    expect((await wrapped.run()).pid).toBe(7);
  });
});

describe('every wrapper keeps the capabilities of what it wraps', () => {
  const wrappers: Array<[string, (inner: Executor) => Executor]> = [
    ['limits', (inner) => limitExecutors(() => inner, { [inner.kind]: 1 })(inner.kind)],
    ['transfer', (inner) => withTransfer(inner, { local: inner })],
  ];
  it.each(wrappers)('%s: a full executor stays full, a plain one stays plain', async (_name, wrap) => {
    const calls: string[] = [];
    const full = wrap(fullExecutor(calls)) as ShardedExecutor;
    expect(shape(full)).toEqual(shape(fullExecutor([])));
    expect(full.sharesControllerHost).toBe(true);
    expect((await full.runShards(job, [{ ...job, shard: 3 }], { count: 1 })).map((e) => e.pid)).toEqual([13]);
    expect(calls).toEqual(['runShards']);
    expect(shape(wrap({ kind: 'plain', run: async () => outcome(1) }))).toEqual(['kind', 'run']);
  });
});
