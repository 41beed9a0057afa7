// A fetch failure in words without its URL: the timeout, else the system error's code (ECONNREFUSED).
export function networkProblem(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return e?.cause?.code ? `network error ${e.cause.code}` : 'network error';
}
