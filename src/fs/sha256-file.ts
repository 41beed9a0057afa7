import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

// The sha256 of one file, read as a stream in 1 MiB pieces: memory stays flat whatever the file's size.
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
