import type { IncomingMessage, ServerResponse } from 'node:http';

// Reads a request body whole.
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// A JSON answer.
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

// An error answer in the Hub's shape: `{error}` and, for missing things, an `X-Error-Code` header (plus any
// headers the route adds, e.g. `X-Repo-Commit` on a missing file of a known revision).
export function sendError(res: ServerResponse, status: number, message: string, code?: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: message }, { ...(code ? { 'X-Error-Code': code, 'X-Error-Message': message } : {}), ...headers });
}
