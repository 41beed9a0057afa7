// A write that may wait: `later` keeps the newest value and writes it once, after `delayMs`; `cancel` drops a value
// still waiting (a newer one is about to be written at once). The timer does not keep the process alive.
export interface DeferredWrite<T> {
  later(value: T): void;
  cancel(): void;
}

export function deferredWrite<T>(delayMs: number, write: (value: T) => void): DeferredWrite<T> {
  let pending: { value: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const next = pending;
    pending = undefined;
    if (next) write(next.value);
  };
  return {
    later(value) {
      pending = { value };
      if (!timer) {
        timer = setTimeout(flush, delayMs);
        timer.unref();
      }
    },
    cancel() {
      pending = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
