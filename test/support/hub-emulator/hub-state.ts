import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

// The emulator's repositories, held in memory: what a Hub keeps per repo (commits with their file trees, branches,
// tags, LFS objects), and nothing more.

export interface HubFile {
  size: number;
  /** Git object id: sha1 of the blob, or of the LFS pointer for an LFS file. */
  oid: string;
  /** sha256 of the content, for LFS files only (as the Hub reports it). */
  lfs?: string;
  /** The bytes; for an LFS file, read from its object on disk when asked for (tests look at small ones). */
  readonly content: Buffer;
}

export interface HubCommit {
  id: string;
  parent: string | null;
  title: string;
  message: string;
  date: string;
  files: Map<string, HubFile>;
}

export interface HubRepo {
  type: 'model' | 'dataset';
  id: string;
  private: boolean;
  commits: Map<string, HubCommit>;
  branches: Map<string, string>;
  tags: Map<string, string>;
  /** The LFS objects uploaded to this repo: sha256 → the object's file on disk (lfs-objects.ts). */
  lfs: Map<string, string>;
}

export type HubRepos = Map<string, HubRepo>;

// `models/acme/x` or `datasets/acme/x`: one key per repo.
export function repoKey(type: string, id: string): string {
  return `${type}s/${id}`;
}

// A Git blob id, as the Hub reports `oid` for a file.
export function gitBlobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

// The Git LFS pointer file stored in Git in place of a large file.
export function lfsPointer(sha256: string, size: number): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`);
}

// A file kept in LFS: its pointer's blob id as oid, its bytes in `object` on disk.
export function lfsFile(sha256: string, size: number, object: string): HubFile {
  return {
    size,
    oid: gitBlobOid(lfsPointer(sha256, size)),
    lfs: sha256,
    get content() {
      return readFileSync(object);
    },
  };
}

// A new repository with main holding one commit with `.gitattributes`, as the Hub creates it.
export function newRepo(type: 'model' | 'dataset', id: string, isPrivate: boolean, now: Date): HubRepo {
  const attributes = Buffer.from('*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n');
  const files = new Map<string, HubFile>([
    ['.gitattributes', { size: attributes.length, oid: gitBlobOid(attributes), content: attributes }],
  ]);
  const first: HubCommit = { id: commitId(), parent: null, title: 'initial commit', message: '', date: now.toISOString(), files };
  return {
    type,
    id,
    private: isPrivate,
    commits: new Map([[first.id, first]]),
    branches: new Map([['main', first.id]]),
    tags: new Map(),
    lfs: new Map(),
  };
}

export function commitId(): string {
  return randomBytes(20).toString('hex');
}

// The commit a revision names: a branch, a tag or a commit id.
export function resolveRevision(repo: HubRepo, revision: string): HubCommit | undefined {
  const id = repo.branches.get(revision) ?? repo.tags.get(revision) ?? revision;
  return repo.commits.get(id);
}
