import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { TestIndex } from './test-index.ts';
import { createMatcher, type Verdict } from './match-item.ts';
import type { MatchReply } from './match-worker.ts';
import type { DecontaminateSettings } from './settings.ts';
import { shareTestIndex } from './share-index.ts';

export interface MatchPool {
  // Matches a batch of texts; results come back in the order batches were submitted when awaited in that order.
  match(texts: Array<string | null>): Promise<Array<Verdict | null>>;
  close(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));

// Runs the matcher on `workers` threads, or on this thread when workers is 0. The threads start first, so their start
// (a second or so from the sources) overlaps `build`, which makes the index once on this thread (in
// SharedArrayBuffers when `workers` > 0); every thread then matches against that one copy.
export async function createMatchPool(
  build: (shared: boolean) => Promise<TestIndex>,
  settings: DecontaminateSettings,
  workers: number,
): Promise<MatchPool> {
  if (workers <= 0) {
    const match = createMatcher(await build(false), settings);
    return {
      match: async (texts) => texts.map((text) => (text === null ? null : match(text))),
      close: async () => undefined,
    };
  }
  const started = Array.from({ length: workers }, () => new Worker(ENTRY));
  let threads: Worker[];
  try {
    const index = shareTestIndex(await build(true));
    threads = await Promise.all(started.map((worker) => ready(worker, index, settings)));
  } catch (error) {
    await Promise.all(started.map((t) => t.terminate()));
    throw error;
  }
  const waiting = new Map<number, { resolve: (v: Array<Verdict | null>) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  for (const thread of threads) {
    thread.on('message', (reply: MatchReply) => {
      const entry = waiting.get(reply.seq);
      waiting.delete(reply.seq);
      entry?.resolve(reply.verdicts);
    });
    thread.on('error', (error) => {
      failure = error;
      for (const entry of waiting.values()) entry.reject(error);
      waiting.clear();
    });
  }
  let seq = 0;
  return {
    match(texts) {
      if (failure) return Promise.reject(failure);
      const id = seq++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        threads[id % threads.length]!.postMessage({ seq: id, texts });
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}

// Hands a started worker the index and waits until its matcher is ready.
function ready(worker: Worker, index: ReturnType<typeof shareTestIndex>, settings: DecontaminateSettings): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { ready?: boolean }) => {
      if (!message.ready) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(worker);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.postMessage({ index, settings });
  });
}
