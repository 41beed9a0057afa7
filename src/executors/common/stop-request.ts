// Why loop itself stopped a job: the stage was cancelled (pause --now, stop), or it passed its time limit.
export type StopReason = 'cancel' | 'timeout';

export interface StopRequests {
  /** The first reason asked for, null while none was. */
  readonly why: StopReason | null;
  /** Asks for a stop; only the first request runs `stop`. */
  request(why: StopReason): void;
  /** Stops listening to the stage's signal (call once the job is followed no more). */
  dispose(): void;
}

// A remote job's stop requests, asked once: 'cancel' when the stage's signal aborts (already aborted included),
// 'timeout' when the caller finds the deadline passed; `stop` (scancel, a kill over ssh) runs on the first only.
export function stopRequests(signal: AbortSignal | undefined, stop: (why: StopReason) => void): StopRequests {
  let why: StopReason | null = null;
  const request = (reason: StopReason) => {
    if (why !== null) return;
    why = reason;
    stop(reason);
  };
  const onAbort = () => request('cancel');
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    get why() {
      return why;
    },
    request,
    dispose: () => signal?.removeEventListener('abort', onAbort),
  };
}

// When an attempt started at `startedAt` passes its time limit, in ms since the epoch; Infinity without one.
export function deadlineOf(startedAt: string, timeoutSeconds: number | undefined): number {
  return timeoutSeconds === undefined ? Infinity : Date.parse(startedAt) + timeoutSeconds * 1000;
}
