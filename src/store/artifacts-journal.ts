import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { RepoRef } from './store-backend.ts';

export interface ArtifactFile {
  output: string;
  path: string;
  bytes: number;
  sha256: string;
  location: string;
}

export interface PublishedStage {
  repo: RepoRef;
  branch: string;
  commit: string;
  /** False when the branch already held every file: no commit was made. */
  changed: boolean;
  uploaded: number;
  publishedAt: string;
  files: ArtifactFile[];
}

// iterations/N/artifacts.json: what was published where, per stage, and whether the iteration was finished
// (cards, main, tags). A succeeded stage missing here is a pending upload (`loop resume` finishes it).
export interface IterationArtifacts {
  store: { kind: string; where: string };
  stages: Record<string, PublishedStage>;
  finished?: { at: string; commits: Record<string, string> };
}

export function artifactsFile(paths: RunPaths, iteration: number): string {
  return path.join(paths.iteration(iteration), 'artifacts.json');
}

export function readArtifacts(paths: RunPaths, iteration: number): IterationArtifacts | undefined {
  try {
    return JSON.parse(readFileSync(artifactsFile(paths, iteration), 'utf8')) as IterationArtifacts;
  } catch {
    return undefined;
  }
}

// Updates the journal atomically (one controller per run, so read-modify-write is safe).
export function updateArtifacts(
  paths: RunPaths,
  iteration: number,
  store: IterationArtifacts['store'],
  change: (a: IterationArtifacts) => void,
): void {
  const current = readArtifacts(paths, iteration) ?? { store, stages: {} };
  current.store = store;
  change(current);
  mkdirSync(paths.iteration(iteration), { recursive: true });
  writeFileAtomic(artifactsFile(paths, iteration), `${JSON.stringify(current, null, 2)}\n`);
}
