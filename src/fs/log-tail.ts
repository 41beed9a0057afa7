import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

// The last lines of a log without reading the whole file (logs of training jobs run to gigabytes).
export function logTail(file: string, lines = 20, maxBytes = 64 * 1024): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\r/g, '\n');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-lines);
  } finally {
    closeSync(fd);
  }
}
