// A counting semaphore: at most `limit` holders at once, the others wait in arrival order.
export interface Slots {
  /** Waits for a free slot; the returned function frees it (calling it twice frees it once). */
  acquire(): Promise<() => void>;
  /** Holders now and waiters now, for tests and progress. */
  readonly busy: number;
  readonly waiting: number;
}

// The slots of one executor kind (`--limit local=1`): every stage of every run driven by this process shares them.
export function createSlots(limit: number): Slots {
  let busy = 0;
  const waiters: Array<() => void> = [];
  const grant = (): (() => void) => {
    busy += 1;
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      busy -= 1;
      const next = waiters.shift();
      if (next) next();
    };
  };
  return {
    acquire() {
      if (busy < limit) return Promise.resolve(grant());
      return new Promise((resolve) => waiters.push(() => resolve(grant())));
    },
    get busy() {
      return busy;
    },
    get waiting() {
      return waiters.length;
    },
  };
}
