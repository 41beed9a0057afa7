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
    for (let attempt = 1; ; attempt++) {
      const last = !retriable || attempt >= options.attempts;
      try {
        const response = await inner(input, init);
        if (last || (response.status < 500 && response.status !== 429)) return response;
        await response.body?.cancel();
        options.onRetry?.(`${method} ${new URL(url).pathname} answered ${response.status}`, attempt);
      } catch (error) {
        if (last || init?.signal?.aborted) throw error;
        options.onRetry?.(`${method} ${new URL(url).pathname}: ${(error as Error).message}`, attempt);
      }
      await options.sleep(options.delayMs(attempt));
    }
  };
}
