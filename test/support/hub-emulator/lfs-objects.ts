import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

// The emulator's LFS objects, on disk (one file per sha256 in a folder of the emulator's own), received and served
// as streams: the emulator is test infrastructure, and a test of a multi-GB artifact must measure the client's
// memory, not hide it behind an emulator that holds the upload whole.
export interface LfsObjects {
  pathOf(oid: string): string;
  /** Streams an upload to disk while hashing it; the object's file, or an error message when it is not `oid`. */
  receive(oid: string, body: IncomingMessage): Promise<{ file: string } | { error: string }>;
}

export function lfsObjects(dir: string): LfsObjects {
  const pathOf = (oid: string) => path.join(dir, oid);
  return {
    pathOf,
    async receive(oid, body) {
      const part = `${pathOf(oid)}.${randomBytes(6).toString('hex')}.part`;
      const hash = createHash('sha256');
      const tee = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, tee, createWriteStream(part));
        const sha = hash.digest('hex');
        if (sha !== oid) return { error: `The uploaded content hashes to ${sha}, not ${oid}` };
        renameSync(part, pathOf(oid));
        return { file: pathOf(oid) };
      } finally {
        rmSync(part, { force: true });
      }
    },
  };
}

// A file's bytes with `Accept-Ranges`, `Content-Length`, and `206` + `Content-Range` for `Range: bytes=A-[B]`,
// streamed from disk.
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string>): Promise<void> {
  const size = statSync(file).size;
  const all = { ...headers, 'Accept-Ranges': 'bytes' };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  let [start, end] = [0, size - 1];
  if (range && size > 0) {
    start = Number(range[1]);
    end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
    res.writeHead(206, { ...all, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': end - start + 1 });
  } else res.writeHead(200, { ...all, 'Content-Length': size });
  if (req.method === 'HEAD' || size === 0) return void res.end();
  await pipeline(createReadStream(file, { start, end, highWaterMark: 1 << 20 }), res);
}
