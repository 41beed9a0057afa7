// How waits grow between tries or polls: the first, a factor (default 2) and a cap (default none).
export interface BackoffPolicy {
  firstMs: number;
  factor?: number;
  maxMs?: number;
}

// The wait before retry `retry` (1-based): firstMs · factor^(retry−1), at most maxMs.
export function backoffDelay(policy: BackoffPolicy, retry: number): number {
  const ms = policy.firstMs * (policy.factor ?? 2) ** Math.max(0, retry - 1);
  return Math.min(ms, policy.maxMs ?? Number.POSITIVE_INFINITY);
}

// The poll interval after `previousMs`: grown by the factor up to the cap, so short jobs are seen ending quickly and
// long ones cost few calls.
export function nextInterval(previousMs: number, policy: Omit<BackoffPolicy, 'firstMs'>): number {
  return Math.min(previousMs * (policy.factor ?? 2), policy.maxMs ?? Number.POSITIVE_INFINITY);
}
