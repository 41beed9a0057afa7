import type { IncomingMessage, ServerResponse } from 'node:http';
import { signUpload, type EmulatorContext } from './hub-emulator.ts';
import { readBody, sendError, sendJson } from './http-helpers.ts';
import { resolveRevision } from './hub-state.ts';

// The non-API endpoints: the LFS batch API (`/{repo}.git/info/lfs/objects/batch`) and file downloads
// (`/{repo}/resolve/{rev}/{path}`, `/{repo}/raw/{rev}/{path}`, with `Range` and `ETag`).
export async function handleFileRoute(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const batch = /^\/(datasets\/)?([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(pathname);
  if (batch && req.method === 'POST') return lfsBatch(ctx, batch[1] ? 'datasets' : 'models', batch[2]!, req, res);
  const file = /^\/(datasets\/)?([^/]+\/[^/]+)\/(resolve|raw)\/([^/]+)\/(.+)$/.exec(pathname);
  if (file && (req.method === 'GET' || req.method === 'HEAD')) {
    return download(ctx, file[1] ? 'datasets' : 'models', file[2]!, file[4]!, file[5]!, req, res);
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

function download(
  ctx: EmulatorContext,
  types: string,
  id: string,
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
  const file = commit.files.get(path);
  if (!file) return sendError(res, 404, `Entry not found: ${path}`, 'EntryNotFound');
  const etag = `"${file.lfs ?? file.oid}"`;
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  const headers: Record<string, string | number> = { ETag: etag, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
  if (range && file.size > 0) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : file.size - 1, file.size - 1);
    const part = file.content.subarray(start, end + 1);
    res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${file.size}`, 'Content-Length': part.length });
    return void res.end(req.method === 'HEAD' ? undefined : part);
  }
  res.writeHead(200, { ...headers, 'Content-Length': file.size });
  res.end(req.method === 'HEAD' ? undefined : file.content);
}
