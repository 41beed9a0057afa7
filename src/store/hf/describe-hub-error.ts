import type { RepoRef } from '../store-backend.ts';
import { StoreError, redactSecrets } from '../store-error.ts';

// Turns a failure of the Hub client into a StoreError that says what to do next, without the token.
export function describeHubError(error: unknown, what: string, repo: RepoRef, endpoint: string, token: string | undefined): StoreError {
  const status = (error as { statusCode?: number }).statusCode;
  const detail = redactSecrets((error as Error)?.message ?? String(error), [token]).replace(/\. URL: .*$/s, '');
  const fix =
    status === 401 || status === 403
      ? 'check HF_TOKEN: it must be a valid token with write access to the namespace'
      : status === 404
        ? `check store.namespace and that ${repo.id} exists on ${endpoint}`
        : status === 409 || status === 412
          ? 'the repository changed meanwhile; publish again (`loop publish RUN`)'
          : status !== undefined && status >= 500
            ? 'the Hub failed; retry later with `loop resume` (pending uploads are finished first)'
            : `check that ${endpoint} is reachable (HF_ENDPOINT or store.endpoint); \`loop resume\` finishes pending uploads`;
  const code = status === undefined ? '' : ` (HTTP ${status})`;
  return new StoreError(redactSecrets(`${what} ${repo.type} ${repo.id} on ${endpoint} failed${code}: ${detail}; ${fix}`, [token]), {
    cause: error,
  });
}
