import type { Executor, StageJob } from '../../executor.ts';
import { wrapExecutor } from '../wrap-executor.ts';
import { createSlots, type Slots } from './create-slots.ts';

// Per executor kind, how many stages may run at once across every run one process drives (`--limit local=1`).
export type ExecutorLimits = Record<string, number>;

// Wraps an executor lookup so that a kind with a limit runs at most that many stages at once, across every run
// sharing the returned lookup; kinds without a limit pass through unchanged. A stage waiting for a slot that is
// canceled meanwhile (a pause) is handed to the executor at once, which reports it canceled without starting it.
export function limitExecutors(executorFor: (kind: string) => Executor, limits: ExecutorLimits): (kind: string) => Executor {
  const wrapped = new Map<string, Executor>();
  return (kind) => {
    const inner = executorFor(kind);
    const limit = limits[kind];
    if (limit === undefined) return inner;
    let executor = wrapped.get(kind);
    if (!executor) {
      executor = limited(inner, createSlots(limit));
      wrapped.set(kind, executor);
    }
    return executor;
  };
}

function limited(inner: Executor, slots: Slots): Executor {
  // Holds a slot for the length of `work`, or skips the wait when the job is canceled before a slot frees up.
  const withSlot = async <T>(job: StageJob, work: () => Promise<T>): Promise<T> => {
    const release = await waitForSlot(slots, job.signal);
    try {
      return await work();
    } finally {
      release();
    }
  };
  // A job array holds one slot: it is one submission, however many tasks it has.
  return wrapExecutor(inner, {
    run: (next, job) => withSlot(job, () => next(job)),
    reattach: (next, job, startedAt) => withSlot(job, () => next(job, startedAt)),
    runShards: (next, array, shards, options) => withSlot(array, () => next(array, shards, options)),
  });
}

// A slot, or — when the signal aborts first — no slot (a no-op release): the canceled job never starts anyway.
async function waitForSlot(slots: Slots, signal: AbortSignal | undefined): Promise<() => void> {
  if (signal?.aborted) return () => undefined;
  const pending = slots.acquire();
  if (!signal) return pending;
  return new Promise((resolve) => {
    const onAbort = () => {
      // The slot may still be granted later: free it straight away then.
      void pending.then((release) => release());
      resolve(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void pending.then((release) => {
      signal.removeEventListener('abort', onAbort);
      resolve(release);
    });
  });
}
