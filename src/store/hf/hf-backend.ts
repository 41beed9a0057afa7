import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  commitIter,
  createBranch,
  createRepo,
  downloadFile,
  listCommits,
  listFiles,
  repoExists,
  type CommitOperation,
} from '@huggingface/hub';
import type { CommitInfo, Refs, RepoRef, Revision, StoreBackend, StoredFile } from '../store-backend.ts';
import { describeHubError } from './describe-hub-error.ts';
import { FileBlob } from './file-blob.ts';
import { hfLocation } from './hf-location.ts';

export interface HfBackendOptions {
  endpoint: string;
  /** From HF_TOKEN; kept in memory only. */
  token: string | undefined;
  fetch: typeof fetch;
}

// The Hugging Face Hub store, through @huggingface/hub: commits are atomic on the Hub, large files go through LFS
// (basic transfer, no Xet), and several files upload at once (the client runs 5 transfers in parallel).
export function hfBackend(options: HfBackendOptions): StoreBackend {
  const { endpoint, token } = options;
  const common = { hubUrl: endpoint, accessToken: token, fetch: options.fetch };
  const hub = async <T>(what: string, repo: RepoRef, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw describeHubError(error, what, repo, endpoint, token);
    }
  };
  const status = (error: unknown) => (error as { statusCode?: number }).statusCode;
  const api = (repo: RepoRef, rest: string) => `${endpoint}/api/${repo.type}s/${repo.id}/${rest}`;
  const raw = async (repo: RepoRef, method: string, rest: string, body?: unknown): Promise<Response> => {
    const response = await options.fetch(api(repo, rest), {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) {
      const text = await response.text();
      throw Object.assign(new Error(parseMessage(text) ?? `HTTP ${response.status}`), { statusCode: response.status });
    }
    return response;
  };

  return {
    kind: 'hf',
    where: endpoint,
    ensureRepo: (repo, opts) =>
      hub('creating', repo, async () => {
        if (await repoExists({ ...common, repo: { type: repo.type, name: repo.id } })) return;
        try {
          await createRepo({ ...common, accessToken: token ?? '', repo: { type: repo.type, name: repo.id }, private: opts.private });
        } catch (error) {
          if (status(error) !== 409) throw error;
        }
      }),
    ensureBranch: (repo, branch, from) =>
      hub(`creating branch ${branch} of`, repo, async () => {
        try {
          await createBranch({ ...common, repo: { type: repo.type, name: repo.id }, branch, revision: from });
        } catch (error) {
          if (status(error) !== 409) throw error;
        }
      }),
    read: (repo, revision) =>
      hub(`reading ${revision} of`, repo, async (): Promise<Revision | null> => {
        const designation = { type: repo.type, name: repo.id };
        let commit: string | undefined;
        try {
          for await (const c of listCommits({ ...common, repo: designation, revision, batchSize: 1 })) {
            commit = c.oid;
            break;
          }
        } catch (error) {
          if (status(error) === 404) return null;
          throw error;
        }
        if (!commit) return null;
        const files: StoredFile[] = [];
        for await (const f of listFiles({ ...common, repo: designation, revision: commit, recursive: true })) {
          if (f.type !== 'file') continue;
          files.push({ path: f.path, size: f.size, ...(f.lfs ? { sha256: f.lfs.oid } : { gitOid: f.oid }) });
        }
        return { commit, files };
      }),
    commit: (repo, branch, request, progress) =>
      hub(`committing to ${branch} of`, repo, async () => {
        const operations: CommitOperation[] = [
          ...request.add.map((f) => ({ operation: 'addOrUpdate' as const, path: f.path, content: FileBlob.of(f.file) })),
          ...request.remove.map((p) => ({ operation: 'delete' as const, path: p })),
        ];
        // LFS files are hashed first; those the Hub lacks then start uploading at 0. Small files travel in the commit.
        const hashed = new Set<string>();
        const transferred = new Set<string>();
        const iterator = commitIter({
          ...common,
          repo: { type: repo.type, name: repo.id },
          branch,
          title: request.title,
          description: request.description,
          parentCommit: request.parent,
          operations,
          useXet: false,
        });
        let next = await iterator.next();
        while (!next.done) {
          const event = next.value;
          if (event.event === 'fileProgress' && event.state !== 'error') {
            if (event.state === 'hashing') hashed.add(event.path);
            if (event.state === 'uploading' && event.progress === 0) transferred.add(event.path);
            progress?.({ path: event.path, state: event.state, progress: event.progress });
          }
          next = await iterator.next();
        }
        const oid = next.value?.commit.oid;
        if (!oid) throw new Error('the Hub answered the commit without a commit id');
        return { commit: oid, uploaded: request.add.length - hashed.size + transferred.size };
      }),
    setBranch: (repo, branch, revision) =>
      hub(`moving branch ${branch} of`, repo, () =>
        createBranch({ ...common, repo: { type: repo.type, name: repo.id }, branch, revision, overwrite: true }),
      ),
    setTag: (repo, tag, revision, message) =>
      hub(`tagging ${tag} in`, repo, async () => {
        try {
          await raw(repo, 'DELETE', `tag/${encodeURIComponent(tag)}`);
        } catch (error) {
          if (status(error) !== 404) throw error;
        }
        await raw(repo, 'POST', `tag/${encodeURIComponent(revision)}`, { tag, message });
      }),
    refs: (repo) =>
      hub('reading the refs of', repo, async (): Promise<Refs> => {
        const json = (await (await raw(repo, 'GET', 'refs')).json()) as {
          branches: Array<{ name: string; targetCommit: string }>;
          tags: Array<{ name: string; targetCommit: string }>;
        };
        const toRecord = (list: Array<{ name: string; targetCommit: string }>) =>
          Object.fromEntries(list.map((r) => [r.name, r.targetCommit]));
        return { branches: toRecord(json.branches), tags: toRecord(json.tags) };
      }),
    commits: (repo, revision) =>
      hub(`listing the commits of ${revision} in`, repo, async (): Promise<CommitInfo[]> => {
        const list: CommitInfo[] = [];
        for await (const c of listCommits({ ...common, repo: { type: repo.type, name: repo.id }, revision })) {
          list.push({ id: c.oid, title: c.title, message: c.message });
        }
        return list;
      }),
    download: (repo, revision, file, dest) =>
      hub(`downloading ${file} from`, repo, async () => {
        const blob = await downloadFile({ ...common, repo: { type: repo.type, name: repo.id }, revision, path: file });
        if (!blob) throw Object.assign(new Error(`${file} is not in ${revision}`), { statusCode: 404 });
        mkdirSync(path.dirname(dest), { recursive: true });
        const tmp = `${dest}.${process.pid}.part`;
        try {
          // Hashed as it is written, so `loop pull` checks the bytes without reading the file a second time.
          const hash = createHash('sha256');
          const hashed = async function* (pieces: AsyncIterable<Buffer>) {
            for await (const piece of pieces) {
              hash.update(piece);
              yield piece;
            }
          };
          await pipeline(Readable.fromWeb(blob.stream() as never), hashed, createWriteStream(tmp));
          renameSync(tmp, dest);
          return { sha256: hash.digest('hex') };
        } finally {
          rmSync(tmp, { force: true });
        }
      }),
    location: (repo, revision, file) => hfLocation(repo, revision, file),
  };
}

function parseMessage(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: string }).error;
  } catch {
    return text || undefined;
  }
}
