import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import { sleep as realSleep } from './sleep.ts';

export interface RetryOptions<T> {
  /** Tries in all, the first included. */
  tries: number;
  /** The wait before each retry: a policy, or a function of the retry's number (1-based). */
  delay: BackoffPolicy | ((retry: number) => number);
  /** Injectable wait (tests); default: sleep, which ends early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Once aborted, no further try is made: the last result is returned, or the last error thrown. */
  signal?: AbortSignal;
  /** Whether a result calls for another try (an HTTP 503, a failed copy); default: none does. */
  retryResult?: (result: T) => boolean;
  /** Whether a thrown error calls for another try; default: every one does. */
  retryError?: (error: unknown) => boolean;
  /** Told before each retry what failed and the retry's number (to log it, or to release a response). */
  onRetry?: (failure: { result: T } | { error: unknown }, retry: number) => void | Promise<void>;
}

// The one retry loop of loop: runs `work` until it gives a result not worth retrying, or the tries are spent, with
// a growing wait between tries. The last try's result is returned, or its error thrown.
export async function retry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const delay = typeof options.delay === 'function' ? options.delay : (n: number) => backoffDelay(options.delay as BackoffPolicy, n);
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    const last = () => attempt >= options.tries || options.signal?.aborted === true;
    let failure: { result: T } | { error: unknown };
    try {
      const result = await work(attempt);
      if (last() || !(options.retryResult?.(result) ?? false)) return result;
      failure = { result };
    } catch (error) {
      if (last() || !(options.retryError?.(error) ?? true)) throw error;
      failure = { error };
    }
    await options.onRetry?.(failure, attempt);
    await sleep(delay(attempt), options.signal);
  }
}
