// A fetch failure in words without its URL (a webhook's URL is a secret): the timeout, else the system error's
// code (ECONNREFUSED), else the cause's message with anything URL-like cut out.
export function networkProblem(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  if (e?.cause?.code) return `network error ${e.cause.code}`;
  const message = e?.cause?.message?.replace(/\S*:\/\/\S*/g, '(url)');
  return message ? `network error (${message})` : 'network error';
}
