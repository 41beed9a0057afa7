import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

// Writes a file so that a crash leaves either the old or the new content, never a torn one: write, fsync, rename, fsync dir.
// `durable: false` keeps the write-then-rename (a killed process never leaves a torn file) but not the fsyncs, so a
// power loss may bring back the old content: only for records that a reboot makes moot.
export function writeFileAtomic(file: string, data: string, options: { durable?: boolean } = {}): void {
  const durable = options.durable ?? true;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    if (durable) fsyncSync(fd);
  } catch (error) {
    // A failed write (a full disk) must not leave its partial file taking the space a retry needs.
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, file);
  if (durable) syncDirectory(path.dirname(file));
}

// Makes a rename durable: the directory entry itself must reach the disk.
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
