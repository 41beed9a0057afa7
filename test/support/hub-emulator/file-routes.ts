import type { IncomingMessage, ServerResponse } from 'node:http';
import { signUpload, type EmulatorContext } from './hub-emulator.ts';
import { readBody, sendError, sendJson } from './http-helpers.ts';
import { lfsPointer, resolveRevision } from './hub-state.ts';
import { sendBytes } from './lfs-cdn.ts';

// The non-API endpoints: the LFS batch API (`/{repo}.git/info/lfs/objects/batch`) and file downloads
// (`/{repo}/resolve/{rev}/{path}`, `/{repo}/raw/{rev}/{path}`).
export async function handleFileRoute(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const batch = /^\/(datasets\/)?([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(pathname);
  if (batch && req.method === 'POST') return lfsBatch(ctx, batch[1] ? 'datasets' : 'models', batch[2]!, req, res);
  const file = /^\/(datasets\/)?([^/]+\/[^/]+)\/(resolve|raw)\/([^/]+)\/(.+)$/.exec(pathname);
  if (file && (req.method === 'GET' || req.method === 'HEAD')) {
    return download(ctx, file[1] ? 'datasets' : 'models', file[2]!, file[3]!, file[4]!, file[5]!, req, res);
  }
  sendError(res, 404, `no such endpoint: ${req.method} ${pathname}`);
}

// Answers which objects still need uploading; objects the repo already holds get no `actions.upload`.
async function lfsBatch(ctx: EmulatorContext, types: string, id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const repo = ctx.repos.get(`${types}/${id}`);
  if (!ctx.authorized) return sendError(res, 401, 'Invalid credentials in Authorization header');
  if (!repo) return sendError(res, 404, 'Repository not found', 'RepoNotFound');
  const body = JSON.parse((await readBody(req)).toString('utf8')) as { objects: Array<{ oid: string; size: number }> };
  sendJson(
    res,
    200,
    {
      transfer: 'basic',
      objects: body.objects.map((o) => ({
        oid: o.oid,
        size: o.size,
        authenticated: true,
        ...(repo.lfs.has(o.oid)
          ? {}
          : {
              actions: {
                upload: { href: `${ctx.base}/_lfs/${types}/${id}/${o.oid}?sig=${signUpload(ctx, types, id, o.oid)}`, expires_in: 3600 },
              },
            }),
      })),
    },
    { 'Content-Type': 'application/vnd.git-lfs+json' },
  );
}

// `GET`/`HEAD /{repo}/resolve|raw/{rev}/{path}`, answered as the Hub answers them. Every answer for a known
// revision carries `X-Repo-Commit` (the commit the revision resolved to), a missing file's 404 included. `resolve`
// of a file kept in Git: 200 with the bytes, `ETag` (its blob id), `Content-Length`, `Range` honoured. `resolve` of
// an LFS file: 302 to a presigned link on the storage host, with `X-Linked-Etag` (the sha256), `X-Linked-Size`
// and `ETag` (the pointer's blob id). `raw` serves what Git holds: the pointer, for an LFS file.
function download(
  ctx: EmulatorContext,
  types: string,
  id: string,
  kind: string,
  revision: string,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const repo = ctx.repos.get(`${types}/${id}`);
  if (!repo || (repo.private && !ctx.authorized)) {
    return sendError(res, repo ? 401 : 404, 'Repository not found', 'RepoNotFound');
  }
  const commit = resolveRevision(repo, revision);
  if (!commit) return sendError(res, 404, `Invalid rev id: ${revision}`, 'RevisionNotFound');
  const headers = { 'X-Repo-Commit': commit.id };
  const file = commit.files.get(path);
  if (!file) return sendError(res, 404, `Entry not found: ${path}`, 'EntryNotFound', headers);
  if (file.lfs && kind === 'resolve') {
    const location = ctx.cdn.link(types, id, file.lfs, ctx.now());
    const body = `Found. Redirecting to ${location}`;
    res.writeHead(302, {
      ...headers,
      Location: location,
      ETag: `"${file.oid}"`,
      'X-Linked-Etag': `"${file.lfs}"`,
      'X-Linked-Size': String(file.size),
      'Accept-Ranges': 'bytes',
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    return void res.end(req.method === 'HEAD' ? undefined : body);
  }
  const bytes = file.lfs ? lfsPointer(file.lfs, file.size) : file.content;
  sendBytes(req, res, bytes, { ...headers, ETag: `"${file.oid}"`, 'Content-Type': 'application/octet-stream' });
}
