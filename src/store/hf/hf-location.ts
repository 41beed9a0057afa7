import type { RepoRef } from '../store-backend.ts';

// Where a file of a Hub revision lives, as the Hub's own tools write it: hf://[datasets/]ID@REVISION/PATH.
export function hfLocation(repo: RepoRef, revision: string, file: string): string {
  return `hf://${repo.type === 'dataset' ? 'datasets/' : ''}${repo.id}@${revision}/${file}`;
}
