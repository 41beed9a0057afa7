import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  text: string;
}

// One HTTP request to the dashboard. Not fetch: Node's fetch adds `Sec-Fetch-Mode: cors` to every request, and the
// Ray dashboard refuses POSTs that look like a browser's ("method not allowed for browser traffic"). Rejects when the
// server cannot be reached (refused, reset, timed out), with the system's code (ECONNREFUSED, ETIMEDOUT…).
export type HttpRequester = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
) => Promise<HttpResponse>;

export const httpRequest: HttpRequester = (url, init) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: init.method,
        headers: { ...init.headers, ...(init.body === undefined ? {} : { 'content-length': Buffer.byteLength(init.body) }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.setTimeout(init.timeoutMs, () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(init.body);
  });
