import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './hub-emulator.ts';
import { readBody, sendError, sendJson } from './http-helpers.ts';
import { newRepo, resolveRevision, type HubRepo } from './hub-state.ts';
import { applyCommit } from './commit-route.ts';
import { repoInfo } from './repo-info.ts';

// The `/api/…` endpoints: repo creation and info (at a revision too), preupload, commits (apply and list), branches, tags, refs, tree.
export async function handleApi(
  ctx: EmulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  pathname: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (pathname === '/api/repos/create' && method === 'POST') return createRepo(ctx, req, res);
  const m = /^\/api\/(models|datasets)\/([^/]+\/[^/]+?)(?:\/(preupload|commit|commits|branch|tag|refs|tree|revision)(?:\/(.*))?)?$/.exec(
    pathname,
  );
  if (!m) return sendError(res, 404, `no such endpoint: ${method} ${pathname}`);
  const [, types, id, action, rest] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const repo = ctx.repos.get(`${types}/${id}`);
  const writes = method !== 'GET' && method !== 'HEAD';
  if (writes && !ctx.authorized) return sendError(res, 401, 'Invalid credentials in Authorization header');
  if (!repo || (repo.private && !ctx.authorized)) {
    return sendError(res, ctx.authorized || !repo ? 404 : 401, 'Repository not found', 'RepoNotFound');
  }
  const body = writes ? await readBody(req) : Buffer.alloc(0);
  const json = () => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
  switch (action) {
    case undefined:
    case 'revision': {
      const revision = action ? (rest ?? '') : 'main';
      const commit = resolveRevision(repo, revision);
      if (!commit) return sendError(res, 404, `Invalid rev id: ${revision}`, 'RevisionNotFound');
      return sendJson(res, 200, repoInfo(repo, commit, url.searchParams.get('blobs') === 'true'));
    }
    case 'preupload':
      return preupload(ctx, repo, json(), res);
    case 'commit':
      return applyCommit(repo, rest ?? 'main', body, ctx.base, res, ctx.now());
    case 'commits':
      return listCommits(repo, rest ?? 'main', res);
    case 'branch':
      return method === 'DELETE' ? deleteRef(repo.branches, rest ?? '', res) : createBranch(repo, rest ?? '', json(), res);
    case 'tag':
      return method === 'DELETE' ? deleteRef(repo.tags, rest ?? '', res) : createTag(repo, rest ?? 'main', json(), res);
    case 'refs':
      return sendJson(res, 200, refs(repo));
    case 'tree':
      return tree(repo, rest ?? 'main', url, res);
  }
}

async function createRepo(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!ctx.authorized) return sendError(res, 401, 'Invalid credentials in Authorization header');
  const body = JSON.parse((await readBody(req)).toString('utf8')) as {
    name: string;
    organization?: string;
    type?: string;
    visibility?: string;
  };
  const type = body.type === 'dataset' ? 'dataset' : 'model';
  const id = `${body.organization}/${body.name}`;
  if (!/^[\w.-]+\/[\w.-]+$/.test(id)) return sendError(res, 400, `Invalid repo name: ${id}`);
  const key = `${type}s/${id}`;
  if (ctx.repos.has(key)) return sendError(res, 409, 'You already created this repo');
  ctx.repos.set(key, newRepo(type, id, body.visibility === 'private', ctx.now()));
  sendJson(res, 200, { url: `${ctx.base}/${type === 'model' ? '' : 'datasets/'}${id}`, id });
}

// Tells the client which files go through LFS: big ones and binary ones, as the Hub does.
function preupload(ctx: EmulatorContext, repo: HubRepo, body: Record<string, unknown>, res: ServerResponse): void {
  void repo;
  const files = (body.files as Array<{ path: string; size: number; sample: string }>) ?? [];
  sendJson(res, 200, {
    files: files.map((f) => ({
      path: f.path,
      uploadMode: f.size >= ctx.lfsThreshold || Buffer.from(f.sample, 'base64').includes(0) ? 'lfs' : 'regular',
      shouldIgnore: false,
    })),
  });
}

function listCommits(repo: HubRepo, revision: string, res: ServerResponse): void {
  let commit = resolveRevision(repo, revision);
  if (!commit) return sendError(res, 404, `Invalid rev id: ${revision}`, 'RevisionNotFound');
  const list = [];
  while (commit) {
    list.push({ id: commit.id, title: commit.title, message: commit.message, authors: [{ user: 'loop', avatar: '' }], date: commit.date });
    commit = commit.parent ? repo.commits.get(commit.parent) : undefined;
  }
  sendJson(res, 200, list);
}

function createBranch(repo: HubRepo, branch: string, body: Record<string, unknown>, res: ServerResponse): void {
  if (repo.branches.has(branch) && !body.overwrite) return sendError(res, 409, `Reference already exists: refs/heads/${branch}`);
  const from = resolveRevision(repo, String(body.startingPoint ?? 'main'));
  if (!from) return sendError(res, 404, `Invalid rev id: ${String(body.startingPoint)}`, 'RevisionNotFound');
  repo.branches.set(branch, from.id);
  res.writeHead(200).end();
}

function createTag(repo: HubRepo, revision: string, body: Record<string, unknown>, res: ServerResponse): void {
  const tag = String(body.tag ?? '');
  if (!tag) return sendError(res, 400, 'The tag needs a name');
  if (repo.tags.has(tag)) return sendError(res, 409, `Tag already exists: ${tag}`);
  const commit = resolveRevision(repo, revision);
  if (!commit) return sendError(res, 404, `Invalid rev id: ${revision}`, 'RevisionNotFound');
  repo.tags.set(tag, commit.id);
  res.writeHead(200).end();
}

function deleteRef(refs: Map<string, string>, name: string, res: ServerResponse): void {
  if (!refs.delete(name)) return sendError(res, 404, `Reference not found: ${name}`, 'RevisionNotFound');
  res.writeHead(200).end();
}

function refs(repo: HubRepo) {
  const list = (map: Map<string, string>, kind: string) =>
    [...map].map(([name, targetCommit]) => ({ name, ref: `refs/${kind}/${name}`, targetCommit }));
  return { branches: list(repo.branches, 'heads'), tags: list(repo.tags, 'tags'), converts: [] };
}

// `GET /api/{type}s/{repo}/tree/{rev}[/path]?recursive=`: files and folders under a path.
function tree(repo: HubRepo, rest: string, url: URL, res: ServerResponse): void {
  const slash = rest.indexOf('/');
  const revision = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/$/, '');
  const commit = resolveRevision(repo, revision);
  if (!commit) return sendError(res, 404, `Invalid rev id: ${revision}`, 'RevisionNotFound');
  const recursive = url.searchParams.get('recursive') === 'true';
  const entries = new Map<string, unknown>();
  for (const [path, file] of commit.files) {
    if (prefix && !path.startsWith(`${prefix}/`)) continue;
    const rel = prefix ? path.slice(prefix.length + 1) : path;
    // Folders are entries too, as the Hub lists them: the top ones, or every one on the way when recursive.
    const parts = rel.split('/').slice(0, -1);
    for (let depth = 1; depth <= (recursive ? parts.length : Math.min(parts.length, 1)); depth++) {
      const dir = `${prefix ? `${prefix}/` : ''}${parts.slice(0, depth).join('/')}`;
      entries.set(dir, { type: 'directory', path: dir, size: 0, oid: '' });
    }
    if (!recursive && parts.length > 0) continue;
    entries.set(path, {
      type: 'file',
      path,
      size: file.size,
      oid: file.oid,
      ...(file.lfs ? { lfs: { oid: file.lfs, size: file.size, pointerSize: 134 } } : {}),
    });
  }
  if (prefix && entries.size === 0) return sendError(res, 404, `Entry not found: ${prefix}`, 'EntryNotFound');
  sendJson(res, 200, [...entries.values()]);
}
