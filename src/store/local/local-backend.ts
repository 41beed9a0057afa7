import { createHash } from 'node:crypto';
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import type { CommitInfo, Refs, RepoRef, Revision, StoreBackend, StoredFile } from '../store-backend.ts';
import { StoreError } from '../store-error.ts';
import { objectStore } from './object-store.ts';

interface LocalCommit {
  id: string;
  parent: string | null;
  title: string;
  message: string;
  date: string;
  files: Record<string, { size: number; sha256: string }>;
}

// The default store: a folder (LOOP_HOME/store) holding content-addressed objects and, per repository, its
// commits and refs as JSON, with the same branches and tags as on the Hub.
export function localBackend(root: string, now: () => Date = () => new Date()): StoreBackend {
  const objects = objectStore(root);
  const repoDir = (repo: RepoRef) => path.join(root, 'repos', `${repo.type}s`, ...repo.id.split('/'));
  const refsFile = (repo: RepoRef) => path.join(repoDir(repo), 'refs.json');
  const commitFile = (repo: RepoRef, id: string) => path.join(repoDir(repo), 'commits', `${id}.json`);
  const readRefs = (repo: RepoRef): Refs => {
    if (!existsSync(refsFile(repo))) throw new StoreError(`no repository ${repo.type} ${repo.id} in the local store ${root}`);
    return JSON.parse(readFileSync(refsFile(repo), 'utf8')) as Refs;
  };
  const writeRefs = (repo: RepoRef, refs: Refs) => writeFileAtomic(refsFile(repo), `${JSON.stringify(refs, null, 2)}\n`);
  const readCommit = (repo: RepoRef, id: string): LocalCommit => JSON.parse(readFileSync(commitFile(repo, id), 'utf8')) as LocalCommit;
  const resolve = (repo: RepoRef, revision: string): string | undefined => {
    const refs = readRefs(repo);
    const id = refs.branches[revision] ?? refs.tags[revision] ?? revision;
    return existsSync(commitFile(repo, id)) ? id : undefined;
  };
  const store = (repo: RepoRef, commit: Omit<LocalCommit, 'id'>): string => {
    const id = createHash('sha1').update(JSON.stringify(commit)).digest('hex');
    mkdirSync(path.dirname(commitFile(repo, id)), { recursive: true });
    writeFileAtomic(commitFile(repo, id), `${JSON.stringify({ id, ...commit }, null, 2)}\n`);
    return id;
  };
  const mustResolve = (repo: RepoRef, revision: string): string => {
    const id = resolve(repo, revision);
    if (!id) throw new StoreError(`${repo.id} has no revision "${revision}"; \`loop artifacts\` lists what was published`);
    return id;
  };

  return {
    kind: 'local',
    where: root,
    async ensureRepo(repo) {
      if (existsSync(refsFile(repo))) return;
      mkdirSync(repoDir(repo), { recursive: true });
      const first = store(repo, { parent: null, title: 'initial commit', message: '', date: now().toISOString(), files: {} });
      writeRefs(repo, { branches: { main: first }, tags: {} });
    },
    async ensureBranch(repo, branch, from) {
      const refs = readRefs(repo);
      if (refs.branches[branch]) return;
      refs.branches[branch] = mustResolve(repo, from);
      writeRefs(repo, refs);
    },
    async read(repo, revision): Promise<Revision | null> {
      if (!existsSync(refsFile(repo))) return null;
      const id = resolve(repo, revision);
      if (!id) return null;
      const files: StoredFile[] = Object.entries(readCommit(repo, id).files).map(([p, f]) => ({ path: p, ...f }));
      return { commit: id, files };
    },
    async commit(repo, branch, request, progress) {
      const refs = readRefs(repo);
      const head = refs.branches[branch];
      if (!head) throw new StoreError(`${repo.id} has no branch ${branch}`);
      if (head !== request.parent) throw new StoreError(`${repo.id}@${branch} moved while publishing; publish again`);
      const files = { ...readCommit(repo, head).files };
      let uploaded = 0;
      for (const source of request.add) {
        if (objects.put(source.file, source.sha256) !== undefined) uploaded += 1;
        progress?.({ path: source.path, state: 'uploading', progress: 1 });
        files[source.path] = { size: source.size, sha256: source.sha256 };
      }
      for (const p of request.remove) delete files[p];
      const id = store(repo, { parent: head, title: request.title, message: request.description, date: now().toISOString(), files });
      // The branch moves last: until then the commit is unreachable, so a crash leaves no half-made commit.
      writeRefs(repo, { ...refs, branches: { ...refs.branches, [branch]: id } });
      return { commit: id, uploaded };
    },
    async setBranch(repo, branch, revision) {
      const refs = readRefs(repo);
      refs.branches[branch] = mustResolve(repo, revision);
      writeRefs(repo, refs);
    },
    async setTag(repo, tag, revision) {
      const refs = readRefs(repo);
      refs.tags[tag] = mustResolve(repo, revision);
      writeRefs(repo, refs);
    },
    async refs(repo) {
      return readRefs(repo);
    },
    async commits(repo, revision): Promise<CommitInfo[]> {
      const list: CommitInfo[] = [];
      let id: string | null = mustResolve(repo, revision);
      while (id) {
        const c = readCommit(repo, id);
        list.push({ id: c.id, title: c.title, message: c.message });
        id = c.parent;
      }
      return list;
    },
    async download(repo, revision, file, dest) {
      const entry = readCommit(repo, mustResolve(repo, revision)).files[file];
      if (!entry) throw new StoreError(`${repo.id}@${revision} has no file ${file}`);
      mkdirSync(path.dirname(dest), { recursive: true });
      const tmp = `${dest}.${process.pid}.part`;
      // A clone where the filesystem can (no second copy on disk), else a copy; never a link: DIR is the user's
      // to change, the store's object is not. Writable, as a file the user asked for.
      copyFileSync(objects.pathOf(entry.sha256), tmp, constants.COPYFILE_FICLONE);
      chmodSync(tmp, 0o644);
      renameSync(tmp, dest);
      return {};
    },
    location(_repo, _revision, _path, sha256) {
      return objects.pathOf(sha256);
    },
  };
}
