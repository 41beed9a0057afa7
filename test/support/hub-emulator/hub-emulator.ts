import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { takeFault, type Fault } from './faults.ts';
import { readBody, sendError } from './http-helpers.ts';
import type { HubRepos } from './hub-state.ts';
import { handleApi } from './api-routes.ts';
import { handleFileRoute } from './file-routes.ts';
import { acceptLfsObject } from './commit-route.ts';
import { lfsCdn, type LfsCdn } from './lfs-cdn.ts';
import { lfsObjects, type LfsObjects } from './lfs-objects.ts';

export interface HubEmulatorOptions {
  port?: number;
  /** Tokens that authenticate; empty: any token starting with hf_. */
  tokens?: string[];
  /** Files at least this large (or with a NUL byte in their first 512 bytes) go through LFS; default 10 MB, as the Hub. */
  lfsThreshold?: number;
  now?: () => Date;
}

export interface HubEmulator {
  url: string;
  /** The storage host LFS downloads are redirected to (another port: another origin, as the Hub's CDN). */
  cdnUrl: string;
  repos: HubRepos;
  faults: Fault[];
  /** Every request seen, `METHOD /path` (no headers, so no token). */
  requests: string[];
  close(): Promise<void>;
}

export interface EmulatorContext {
  base: string;
  repos: HubRepos;
  lfsThreshold: number;
  now: () => Date;
  authorized: boolean;
  faults: Fault[];
  secret: Buffer;
  cdn: LfsCdn;
  objects: LfsObjects;
}

// Starts an emulator of the Hugging Face Hub's HTTP API on 127.0.0.1: the endpoints @huggingface/hub 2.17 uses for
// repos, preupload, LFS batch and basic transfer, NDJSON commits, branches, tags, refs, commit listing, tree
// listing and resolve/raw downloads; the repo info (`/revision/{rev}`) and the headers Python's huggingface_hub 2.4
// reads on downloads (`X-Repo-Commit`, `X-Linked-Etag`, `X-Linked-Size`), LFS downloads redirected to a storage host
// of their own; plus failures played on request (`faults`, on both hosts).
export async function startHubEmulator(options: HubEmulatorOptions = {}): Promise<HubEmulator> {
  const repos: HubRepos = new Map();
  const faults: Fault[] = [];
  const requests: string[] = [];
  const tokens = options.tokens ?? [];
  const isToken = (header: string | undefined) => {
    const token = header?.replace(/^Bearer\s+/i, '');
    return !!token && (tokens.length === 0 ? token.startsWith('hf_') : tokens.includes(token));
  };
  const secret = randomBytes(32);
  const now = options.now ?? (() => new Date());
  let base = '';
  let cdnBase = '';
  const cdn = lfsCdn(() => cdnBase, repos, secret, now);
  // LFS objects live on disk, in a folder removed on close.
  const objectsDir = mkdtempSync(path.join(tmpdir(), 'loop-hub-emulator-'));
  const objects = lfsObjects(objectsDir);
  // Logs the request and plays an armed fault; false when the fault answered it.
  const admit = (req: IncomingMessage, res: ServerResponse, pathname: string): boolean => {
    requests.push(`${req.method} ${pathname}`);
    const fault = takeFault(faults, req, pathname);
    if (fault?.drop) dropMidway(req);
    else if (fault?.status) req.resume().on('end', () => sendError(res, fault.status!, `emulated failure ${fault.status}`));
    return !fault;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const pathname = decodeURIComponent(url.pathname);
    if (!admit(req, res, pathname)) return;
    const ctx: EmulatorContext = {
      base,
      repos,
      lfsThreshold: options.lfsThreshold ?? 10 * 1024 * 1024,
      now,
      authorized: isToken(req.headers.authorization),
      faults,
      secret,
      cdn,
      objects,
    };
    route(ctx, req, res, url, pathname).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `emulator error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  const cdnServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', cdnBase);
    if (admit(req, res, url.pathname)) cdn.handle(req, res, url, url.pathname);
  });
  base = await listen(server, options.port ?? 0);
  cdnBase = await listen(cdnServer, 0);
  return {
    url: base,
    cdnUrl: cdnBase,
    repos,
    faults,
    requests,
    close: async () => {
      await Promise.all(
        [server, cdnServer].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
      rmSync(objectsDir, { recursive: true, force: true });
    },
  };
}

// Listens on 127.0.0.1 and gives the server's base URL.
async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function route(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL, pathname: string): Promise<void> {
  if (pathname === '/_emulator/faults' && req.method === 'POST') return void (await addFault(req, res, ctx));
  if (pathname.startsWith('/api/')) return handleApi(ctx, req, res, url, pathname);
  const lfs = /^\/_lfs\/(models|datasets)\/([^/]+\/[^/]+)\/([0-9a-f]{64})$/.exec(pathname);
  if (lfs && req.method === 'PUT') {
    const repo = ctx.repos.get(`${lfs[1]}/${lfs[2]}`);
    if (!repo) return sendError(res, 404, 'Repository not found', 'RepoNotFound');
    // Upload links are presigned, as the Hub's S3 links are: the signature, not a token, authorizes the PUT.
    if (url.searchParams.get('sig') !== signUpload(ctx, lfs[1]!, lfs[2]!, lfs[3]!)) return sendError(res, 403, 'Bad upload signature');
    return acceptLfsObject(repo, lfs[3]!, ctx.objects, req, res);
  }
  return handleFileRoute(ctx, req, res, pathname);
}

// `POST /_emulator/faults {method?, path, status?|drop?, times}`: arms a failure by hand (docs/artifacts.md).
async function addFault(req: IncomingMessage, res: ServerResponse, ctx: EmulatorContext): Promise<void> {
  const fault = JSON.parse((await readBody(req)).toString('utf8')) as Fault;
  ctx.faults.push({ ...fault, times: fault.times ?? 1 });
  res.writeHead(204).end();
}

// Reads part of the request, then cuts the connection: a transfer dropped mid-upload.
function dropMidway(req: IncomingMessage): void {
  req.once('data', () => req.socket.destroy());
  req.once('end', () => req.socket.destroy());
}

// The signature of a presigned LFS upload link.
export function signUpload(ctx: EmulatorContext, types: string, id: string, oid: string): string {
  return createHmac('sha256', ctx.secret).update(`${types}/${id}/${oid}`).digest('hex');
}
