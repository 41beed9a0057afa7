import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Revision, SourceFile, StoredFile } from './store-backend.ts';

// The paths a commit may delete when its sources no longer have them: files under these paths, or every file but
// these (a model folder published at the root of its repo owns all of it but the card).
export type OwnedPaths = string[] | { allBut: string[] };

// What a commit must carry so the revision holds `sources`: only files whose content differs (by sha256, or by Git
// blob id for small Hub files), and deletions of files under `owned` paths that the sources no longer have.
export function planChange(revision: Revision, sources: SourceFile[], owned: OwnedPaths): { add: SourceFile[]; remove: string[] } {
  const stored = new Map(revision.files.map((f) => [f.path, f]));
  const add = sources.filter((s) => !sameContent(s, stored.get(s.path)));
  const wanted = new Set(sources.map((s) => s.path));
  const remove = revision.files.map((f) => f.path).filter((p) => !wanted.has(p) && isOwned(owned, p));
  return { add, remove };
}

function isOwned(owned: OwnedPaths, p: string): boolean {
  return Array.isArray(owned) ? owned.some((o) => p === o || p.startsWith(`${o}/`)) : !owned.allBut.includes(p);
}

function sameContent(source: SourceFile, stored: StoredFile | undefined): boolean {
  if (!stored || stored.size !== source.size) return false;
  if (stored.sha256) return stored.sha256 === source.sha256;
  if (stored.gitOid) return stored.gitOid === gitBlobOid(readFileSync(source.file));
  return false;
}

// A Git blob id: what the Hub reports as `oid` for a file kept in Git rather than LFS.
export function gitBlobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
