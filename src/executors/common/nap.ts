import { setTimeout as sleep } from 'node:timers/promises';

// A poll interval that ends early when the job is canceled, so `loop pause --now` acts at once; never rejects.
export async function nap(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

// The next poll interval: doubles from the first up to the cap, so short stages are seen ending quickly and long
// ones cost few calls.
export function backoff(previousMs: number, capMs: number): number {
  return Math.min(previousMs * 2, capMs);
}
