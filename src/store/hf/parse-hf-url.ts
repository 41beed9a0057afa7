import type { RepoRef } from '../store-backend.ts';
import { StoreError } from '../store-error.ts';

export interface HfUrl {
  repo: RepoRef;
  revision: string;
  /** A file or folder in the repo; empty for the whole repo. */
  path: string;
}

// Parses `hf://NAMESPACE/REPO@REVISION/PATH` (datasets: `hf://datasets/NAMESPACE/REPO…`); the revision defaults to
// main, the path to the whole repo.
export function parseHfUrl(url: string): HfUrl {
  const m = /^hf:\/\/(datasets\/|models\/)?([A-Za-z0-9][\w.-]*)\/([A-Za-z0-9][\w.-]*?)(?:@([\w.\-/]+?))?(?:\/(.*))?$/.exec(url);
  if (!m) {
    throw new StoreError(
      `"${url}" is not a Hub URL; write hf://NAMESPACE/REPO@REVISION/PATH, or hf://datasets/NAMESPACE/REPO@REVISION/PATH for a dataset`,
    );
  }
  const path = (m[5] ?? '').replace(/\/+$/, '');
  if (path.split('/').some((seg) => seg === '..')) throw new StoreError(`"${url}": the path must not contain ".."`);
  return { repo: { type: m[1] === 'datasets/' ? 'dataset' : 'model', id: `${m[2]}/${m[3]}` }, revision: m[4] ?? 'main', path };
}
