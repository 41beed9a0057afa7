import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './http-helpers.ts';
import type { HubRepos } from './hub-state.ts';
import { sendFile } from './lfs-objects.ts';

// The storage host LFS downloads are redirected to, as the Hub sends them to its CDN: another origin, links
// presigned by the Hub (`expires` and `sig`), no token needed; a request that carries `Authorization` as well is
// refused, as S3 refuses a second auth mechanism (clients must drop the token when a redirect leaves the Hub). Serves `GET`/`HEAD
// /_cdn/{type}s/{namespace}/{name}/{sha256}` with `Range`, `ETag` and `Content-Length`.
export interface LfsCdn {
  /** The presigned link to an LFS object of a repo, valid for an hour. */
  link(types: string, id: string, oid: string, now: Date): string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, pathname: string): void;
}

export function lfsCdn(base: () => string, repos: HubRepos, secret: Buffer, now: () => Date): LfsCdn {
  const sign = (path: string, expires: string) => createHmac('sha256', secret).update(`cdn:${path}:${expires}`).digest('hex');
  return {
    link(types, id, oid, at) {
      const path = `/_cdn/${types}/${id}/${oid}`;
      const expires = String(Math.floor(at.getTime() / 1000) + 3600);
      return `${base()}${path}?expires=${expires}&sig=${sign(path, expires)}`;
    },
    handle(req, res, url, pathname) {
      const m = /^\/_cdn\/(models|datasets)\/([^/]+\/[^/]+)\/([0-9a-f]{64})$/.exec(pathname);
      if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return sendError(res, 404, `no such object: ${req.method} ${pathname}`);
      const expires = url.searchParams.get('expires') ?? '';
      if (req.headers.authorization)
        return sendError(res, 400, 'Only one auth mechanism allowed: the link is presigned, drop the Authorization header');
      if (url.searchParams.get('sig') !== sign(pathname, expires)) return sendError(res, 403, 'Bad signature');
      if (Number(expires) * 1000 < now().getTime()) return sendError(res, 403, 'Request has expired');
      const object = repos.get(`${m[1]}/${m[2]}`)?.lfs.get(m[3]!);
      if (!object) return sendError(res, 404, 'The specified key does not exist.');
      sendFile(req, res, object, { ETag: `"${m[3]}"`, 'Content-Type': 'application/octet-stream' }).catch(() => res.destroy());
    },
  };
}

// Bytes with `Accept-Ranges`, `Content-Length`, and `206` + `Content-Range` for a `Range: bytes=A-[B]` request.
export function sendBytes(req: IncomingMessage, res: ServerResponse, content: Buffer, headers: Record<string, string>): void {
  const all = { ...headers, 'Accept-Ranges': 'bytes' };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (range && content.length > 0) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : content.length - 1, content.length - 1);
    const part = content.subarray(start, end + 1);
    res.writeHead(206, { ...all, 'Content-Range': `bytes ${start}-${end}/${content.length}`, 'Content-Length': part.length });
    return void res.end(req.method === 'HEAD' ? undefined : part);
  }
  res.writeHead(200, { ...all, 'Content-Length': content.length });
  res.end(req.method === 'HEAD' ? undefined : content);
}
