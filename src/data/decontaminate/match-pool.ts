import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { buildTestIndex, type TestSetInput } from './test-index.ts';
import { createMatcher, type Verdict } from './match-item.ts';
import type { MatchReply } from './match-worker.ts';
import type { DecontaminateSettings } from './settings.ts';

export interface MatchPool {
  // Matches a batch of texts; results come back in the order batches were submitted when awaited in that order.
  match(texts: Array<string | null>): Promise<Array<Verdict | null>>;
  close(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./worker-entry.mjs', import.meta.url));

// Runs the matcher on `workers` threads (each builds its own index: building costs seconds, sharing a 500k-entry
// Map across threads costs more), or on this thread when workers is 0.
export async function createMatchPool(sets: TestSetInput[], settings: DecontaminateSettings, workers: number): Promise<MatchPool> {
  if (workers <= 0) {
    const match = createMatcher(buildTestIndex(sets, settings), settings);
    return {
      match: async (texts) => texts.map((text) => (text === null ? null : match(text))),
      close: async () => undefined,
    };
  }
  const threads = await Promise.all(Array.from({ length: workers }, () => startWorker(sets, settings)));
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

// Starts one worker and waits until its index is built.
function startWorker(sets: TestSetInput[], settings: DecontaminateSettings): Promise<Worker> {
  const worker = new Worker(ENTRY, { workerData: { sets, settings } });
  return new Promise((resolve, reject) => {
    const onMessage = (message: { ready?: boolean }) => {
      if (!message.ready) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(worker);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}
