import { Worker } from 'node:worker_threads';
import { answersEqual } from './answers-equal.ts';
import type { SymbolicJob } from './symbolic-worker.ts';

export type Verdict = boolean | 'timeout';

export interface SymbolicPool {
  // Judges pairs [pred, ref] that need the symbolic check; verdicts come back in the same order.
  judge(pairs: Array<[string, string]>): Promise<Verdict[]>;
  close(): Promise<void>;
  // Pairs judged not equal because they were beyond the work bounds (work-bounds.ts), so far.
  readonly bounded: number;
}

export interface SymbolicPoolOptions {
  // Worker threads; 0 judges in this thread, without a time budget (for tiny inputs and tests).
  workers: number;
  // Time one pair may take; past it the worker is stopped, the pair is judged 'timeout' (not equal) and a fresh worker
  // takes the rest.
  budgetMs: number;
}

const ENTRY = new URL('./symbolic-worker.mjs', import.meta.url);

// Symbolic equality on worker threads under a per-item time budget: one pathological answer cannot stall a million,
// since a synchronous engine call can only be stopped by terminating its thread.
export function createSymbolicPool(options: SymbolicPoolOptions): SymbolicPool {
  const idle: Worker[] = [];
  const take = () => idle.pop() ?? new Worker(ENTRY);
  let bounded = 0;

  // Runs one chunk on one worker, replacing the worker whenever it exceeds the budget on an item.
  async function runChunk(pairs: Array<[string, string]>): Promise<Verdict[]> {
    const verdicts: Verdict[] = new Array(pairs.length);
    let start = 0;
    while (start < pairs.length) {
      const rest = pairs.slice(start);
      const job: SymbolicJob = { pairs: rest, clock: new SharedArrayBuffer(16), results: new SharedArrayBuffer(rest.length) };
      const clock = new Float64Array(job.clock);
      const results = new Int8Array(job.results);
      const worker = take();
      const outcome = await new Promise<'done' | 'timeout' | 'crash'>((resolve) => {
        const watchdog = setInterval(
          () => {
            if (clock[1]! > 0 && Date.now() - clock[1]! > options.budgetMs) finish('timeout');
          },
          Math.max(5, Math.min(50, options.budgetMs / 4)),
        );
        const onMessage = (message: { bounded?: number }) => {
          bounded += message?.bounded ?? 0;
          finish('done');
        };
        const onError = () => finish('crash');
        function finish(how: 'done' | 'timeout' | 'crash') {
          clearInterval(watchdog);
          worker.off('message', onMessage);
          worker.off('error', onError);
          resolve(how);
        }
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.postMessage(job);
      });
      for (let i = 0; i < rest.length; i++) if (results[i] !== 0) verdicts[start + i] = results[i] === 1;
      if (outcome === 'done') {
        idle.push(worker);
        break;
      }
      void worker.terminate();
      const stuck = clock[0]!;
      verdicts[start + stuck] = outcome === 'timeout' ? 'timeout' : false;
      start += stuck + 1;
    }
    return verdicts;
  }

  return {
    async judge(pairs) {
      if (pairs.length === 0) return [];
      if (options.workers <= 0) {
        // Loaded on first need: the engine is a large module, and most runs never need it.
        const { symbolicCounts, symbolicEqual } = await import('./symbolic-equal.ts');
        const before = symbolicCounts.bounded;
        const verdicts = pairs.map(([p, r]) => answersEqual(p, r, symbolicEqual) === true);
        bounded += symbolicCounts.bounded - before;
        return verdicts;
      }
      const size = Math.max(16, Math.ceil(pairs.length / options.workers));
      const chunks: Array<Array<[string, string]>> = [];
      for (let i = 0; i < pairs.length; i += size) chunks.push(pairs.slice(i, i + size));
      return (await Promise.all(chunks.map(runChunk))).flat();
    },
    get bounded() {
      return bounded;
    },
    async close() {
      await Promise.all(idle.splice(0).map((w) => w.terminate()));
    },
  };
}
