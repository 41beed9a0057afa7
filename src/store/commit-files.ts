import type { RepoRef, SourceFile, StoreBackend, StoreProgress } from './store-backend.ts';
import { StoreError } from './store-error.ts';
import { planChange, type OwnedPaths } from './plan-change.ts';
import { retry } from '../time/retry.ts';

export interface CommitFilesOptions {
  backend: StoreBackend;
  sleep: (ms: number) => Promise<void>;
  progress?: StoreProgress;
  /** Tries in all for a commit that failed on the way (network, 5xx, the branch moved); default 3. */
  attempts?: number;
}

// Makes `branch` hold `sources` (and nothing else under `owned`): reads the branch, sends only what differs, and
// commits nothing when nothing differs. A transient failure is retried from the reading, so a commit that did reach
// the store before its answer was lost is not made twice.
export async function commitFiles(
  options: CommitFilesOptions,
  repo: RepoRef,
  branch: string,
  sources: SourceFile[],
  owned: OwnedPaths,
  message: { title: string; description: string },
): Promise<{ commit: string; changed: boolean; uploaded: number }> {
  const attempt = async () => {
    const revision = await options.backend.read(repo, branch);
    if (!revision) throw new StoreError(`${repo.id} has no branch ${branch} on ${options.backend.where}`);
    const change = planChange(revision, sources, owned);
    if (change.add.length === 0 && change.remove.length === 0) return { commit: revision.commit, changed: false, uploaded: 0 };
    const made = await options.backend.commit(repo, branch, { ...message, ...change, parent: revision.commit }, options.progress);
    return { commit: made.commit, changed: true, uploaded: made.uploaded };
  };
  return retry(attempt, {
    tries: options.attempts ?? 3,
    delay: { firstMs: 200 },
    sleep: (ms) => options.sleep(ms),
    retryError: isTransient,
  });
}

// Failures worth another try: the connection dropped, the server failed, or the branch moved meanwhile.
export function isTransient(error: unknown): boolean {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const status = (cause as { statusCode?: number }).statusCode;
  if (status !== undefined) return status >= 500 || status === 429 || status === 409 || status === 412;
  return cause instanceof TypeError || /fetch failed|ECONNRESET|socket hang up|terminated/i.test(String((cause as Error)?.message));
}
