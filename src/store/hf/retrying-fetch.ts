import { retry } from '../../time/retry.ts';

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before retry n (1-based), in ms. */
  delayMs: (retry: number) => number;
  sleep: (ms: number) => Promise<void>;
  onRetry?: (what: string, retry: number) => void;
}

// Wraps fetch so that a dropped connection, a 5xx or a 429 is tried again after a pause. Commit requests are not
// retried here (a lost answer may hide an applied commit): publishing retries them after reading the branch again.
export function retryingFetch(inner: typeof fetch, options: RetryOptions): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const retriable = !(method === 'POST' && /\/api\/[a-z]+s\/.+\/commit\//.test(url));
    const what = `${method} ${new URL(url).pathname}`;
    return retry(() => inner(input, init), {
      tries: retriable ? options.attempts : 1,
      delay: options.delayMs,
      sleep: (ms) => options.sleep(ms),
      retryResult: (response) => response.status >= 500 || response.status === 429,
      retryError: () => !init?.signal?.aborted,
      onRetry: async (failure, retry) => {
        if ('result' in failure) await failure.result.body?.cancel();
        options.onRetry?.(
          'result' in failure ? `${what} answered ${failure.result.status}` : `${what}: ${(failure.error as Error).message}`,
          retry,
        );
      },
    });
  };
}
