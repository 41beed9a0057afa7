import { closeSync, fdatasyncSync, fstatSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { syncDirectory } from './atomic-write.ts';

// The most a file written in place may hold: one page, so one write either happens whole or not at all, even when the
// process is killed during it.
export const IN_PLACE_MAX_BYTES = 4096;

// Writes a small file over its old content in one write at offset 0, instead of through a temporary file and a
// rename: no file is created (but the first time) and none freed. Shorter content is padded with spaces to the old
// length (JSON readers skip them), so nothing is truncated and a killed process leaves the old or the new content,
// never a mix; a power loss may tear it, so a reader must take an unreadable file as absent. `durable` fsyncs the file
// and its folder. False, with nothing written, when the old or the new content is over IN_PLACE_MAX_BYTES: the caller
// writes it atomically instead.
export function writeInPlace(file: string, text: string, durable: boolean): boolean {
  const data = Buffer.from(text);
  if (data.length > IN_PLACE_MAX_BYTES) return false;
  let fd: number;
  let created = false;
  try {
    fd = openSync(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fd = openSync(file, 'wx');
    created = true;
  }
  try {
    const old = fstatSync(fd).size;
    if (old > IN_PLACE_MAX_BYTES) return false;
    const padded = data.length >= old ? data : Buffer.concat([data, Buffer.alloc(old - data.length, ' ')]);
    writeSync(fd, padded, 0, padded.length, 0);
    if (durable) fdatasyncSync(fd);
  } catch (error) {
    // A first write cut short (a full disk) leaves no partial file behind.
    if (created) rmSync(file, { force: true });
    throw error;
  } finally {
    closeSync(fd);
  }
  if (durable) syncDirectory(path.dirname(file));
  return true;
}
