import { parentPort } from 'node:worker_threads';
import { answersEqual } from './answers-equal.ts';
import { symbolicCounts, symbolicEqual } from './symbolic-equal.ts';

export interface SymbolicJob {
  pairs: Array<[string, string]>;
  // [index of the item being judged, Date.now() when it started]: the pool's watchdog reads it.
  clock: SharedArrayBuffer;
  // One byte per item: 0 not judged, 1 equal, 2 different.
  results: SharedArrayBuffer;
}

// The engine's first comparison is slow (its tables are built lazily): pay that before any item's budget starts.
symbolicEqual('\\frac{x}{7}+\\frac{2}{7}', '\\frac{x+2}{7}');
symbolicCounts.bounded = 0;

// Judges each pair with the symbolic check, publishing which item it is on and since when, so the pool can stop a
// worker stuck on one pathological answer without losing the verdicts before it.
parentPort?.on('message', (job: SymbolicJob) => {
  const clock = new Float64Array(job.clock);
  const results = new Int8Array(job.results);
  for (let i = 0; i < job.pairs.length; i++) {
    clock[0] = i;
    clock[1] = Date.now();
    let equal = false;
    try {
      equal = answersEqual(job.pairs[i]![0], job.pairs[i]![1], symbolicEqual) === true;
    } catch {
      equal = false;
    }
    results[i] = equal ? 1 : 2;
  }
  clock[1] = 0;
  // How many of this job's pairs were refused for their work (beyondWorkBounds).
  parentPort!.postMessage({ bounded: symbolicCounts.bounded });
  symbolicCounts.bounded = 0;
});
