import { setTimeout as wait } from 'node:timers/promises';

// The one wait of loop's polls and retries: ends early, without rejecting, when the signal aborts, so a pause or a
// `loop pause --now` acts at once.
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, undefined, { signal }).catch(() => undefined);
}

// Blocks the thread for a moment: only for code that must stay synchronous (taking the run lock).
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
