import { describe, expect, it } from 'vitest';
import { backoffDelay, nextInterval } from '../../src/time/backoff.ts';
import { retry } from '../../src/time/retry.ts';
import { sleep } from '../../src/time/sleep.ts';

// A fake wait that records what it was asked to wait.
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('backoff', () => {
  it('grows by the factor from the first wait, up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay({ firstMs: 100, maxMs: 1000 }, n))).toEqual([100, 200, 400, 800, 1000]);
    expect([1, 2, 3].map((n) => backoffDelay({ firstMs: 2000, factor: 4 }, n))).toEqual([2000, 8000, 32000]);
    expect(nextInterval(250, { maxMs: 400 })).toBe(400);
    expect(nextInterval(50, { maxMs: 1000 })).toBe(100);
  });
});

describe('retry', () => {
  it("tries again after each retried error, with the policy's waits, and returns the first good result", async () => {
    const { waits, sleep: fake } = recordingSleep();
    const seen: number[] = [];
    const result = await retry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error(`blip ${attempt}`);
        return 'ok';
      },
      { tries: 5, delay: { firstMs: 10 }, sleep: fake },
    );
    expect([result, seen, waits]).toEqual(['ok', [1, 2, 3], [10, 20]]);
  });

  it('throws the last error once the tries are spent, and at once for an error not worth retrying', async () => {
    const { waits, sleep: fake } = recordingSleep();
    await expect(retry(async (n) => Promise.reject(new Error(`fail ${n}`)), { tries: 3, delay: () => 1, sleep: fake })).rejects.toThrow(
      'fail 3',
    );
    expect(waits).toEqual([1, 1]);
    let calls = 0;
    const fatal = retry(async () => (calls++, Promise.reject(new Error('fatal'))), {
      tries: 3,
      delay: () => 1,
      sleep: fake,
      retryError: () => false,
    });
    await expect(fatal).rejects.toThrow('fatal');
    expect(calls).toBe(1);
  });

  it('retries results that ask for it, tells onRetry each failure, and returns the last result when tries run out', async () => {
    const { sleep: fake } = recordingSleep();
    const told: string[] = [];
    const result = await retry(async (n) => ({ status: 500 + n }), {
      tries: 3,
      delay: () => 0,
      sleep: fake,
      retryResult: (r) => r.status >= 500,
      onRetry: (failure, n) => void told.push(`${n}:${'result' in failure ? failure.result.status : 'error'}`),
    });
    expect([result.status, told]).toEqual([503, ['1:501', '2:502']]);
  });

  it('stops retrying once the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        controller.abort();
        return 'busy';
      },
      { tries: 5, delay: () => 10_000, signal: controller.signal, retryResult: () => true },
    );
    expect([result, calls]).toEqual(['busy', 1]);
  });
});

describe('sleep', () => {
  it('waits, and ends early without rejecting when the signal aborts', async () => {
    let started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    const controller = new AbortController();
    started = Date.now();
    setTimeout(() => controller.abort(), 10);
    await sleep(10_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
