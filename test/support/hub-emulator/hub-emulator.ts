import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { takeFault, type Fault } from './faults.ts';
import { readBody, sendError } from './http-helpers.ts';
import type { HubRepos } from './hub-state.ts';
import { handleApi } from './api-routes.ts';
import { handleFileRoute } from './file-routes.ts';
import { acceptLfsObject } from './commit-route.ts';

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
}

// Starts an emulator of the Hugging Face Hub's HTTP API on 127.0.0.1: the endpoints @huggingface/hub 2.17 uses for
// repos, preupload, LFS batch and basic transfer, NDJSON commits, branches, tags, refs, commit listing, tree
// listing and resolve/raw downloads, plus failures played on request (`faults`).
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
  let base = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const pathname = decodeURIComponent(url.pathname);
    requests.push(`${req.method} ${pathname}`);
    const fault = takeFault(faults, req, pathname);
    if (fault?.drop) return dropMidway(req);
    if (fault?.status) return void readBody(req).then(() => sendError(res, fault.status!, `emulated failure ${fault.status}`));
    const ctx: EmulatorContext = {
      base,
      repos,
      lfsThreshold: options.lfsThreshold ?? 10 * 1024 * 1024,
      now: options.now ?? (() => new Date()),
      authorized: isToken(req.headers.authorization),
      faults,
      secret,
    };
    route(ctx, req, res, url, pathname).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `emulator error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    repos,
    faults,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
    return acceptLfsObject(repo, lfs[3]!, await readBody(req), res);
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
