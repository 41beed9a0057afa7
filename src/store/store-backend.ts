// The thin store every backend implements: repositories of files with commits on branches and tags, as the Hub
// has them. Artifacts are addressed by repository, revision and path; contents are compared by hash. The
// iteration-level store (publish-stage.ts, finish-iteration.ts) decides what goes where.

export interface RepoRef {
  type: 'model' | 'dataset';
  /** NAMESPACE/NAME */
  id: string;
}

// A file as a revision holds it. `sha256` is known for every local file and for Hub LFS files; small Hub files
// are known by their Git blob id instead.
export interface StoredFile {
  path: string;
  size: number;
  sha256?: string;
  gitOid?: string;
}

export interface Revision {
  commit: string;
  files: StoredFile[];
}

// A file to commit: its path in the repo and the local file holding its bytes.
export interface SourceFile {
  path: string;
  file: string;
  size: number;
  sha256: string;
}

export interface CommitRequest {
  title: string;
  description: string;
  add: SourceFile[];
  remove: string[];
  /** The branch head the change was computed against: the commit is refused if the branch moved since. */
  parent: string;
}

export interface CommitInfo {
  id: string;
  title: string;
  message: string;
}

export interface Refs {
  branches: Record<string, string>;
  tags: Record<string, string>;
}

export type StoreProgress = (event: { path: string; state: 'hashing' | 'uploading'; progress: number }) => void;

export interface StoreBackend {
  kind: 'local' | 'hf';
  /** Where the store is, for messages: a folder or the Hub's URL. */
  where: string;
  /** Creates the repo if it does not exist. */
  ensureRepo(repo: RepoRef, options: { private: boolean }): Promise<void>;
  /** Creates `branch` at `from` if it does not exist. */
  ensureBranch(repo: RepoRef, branch: string, from: string): Promise<void>;
  /** A revision's head commit and files; null when the revision does not exist. */
  read(repo: RepoRef, revision: string): Promise<Revision | null>;
  /** Commits the change on `branch`, all files at once or none; returns the new commit's id. */
  commit(repo: RepoRef, branch: string, request: CommitRequest, progress?: StoreProgress): Promise<{ commit: string; uploaded: number }>;
  /** Points `branch` at `revision`, creating or moving it. */
  setBranch(repo: RepoRef, branch: string, revision: string): Promise<void>;
  /** Points `tag` at `revision`, creating or moving it. */
  setTag(repo: RepoRef, tag: string, revision: string, message: string): Promise<void>;
  refs(repo: RepoRef): Promise<Refs>;
  /** Commits reachable from a revision, newest first. */
  commits(repo: RepoRef, revision: string): Promise<CommitInfo[]>;
  /**
   * Writes one file of a revision to `dest` (written whole, then renamed into place). The sha256 of the bytes written,
   * where the backend hashed them on the way (so the caller need not read the file again).
   */
  download(repo: RepoRef, revision: string, path: string, dest: string): Promise<{ sha256?: string }>;
  /** Where a file lives, for `loop artifacts`: an object path or an hf:// URL. */
  location(repo: RepoRef, revision: string, path: string, sha256: string): string;
}
