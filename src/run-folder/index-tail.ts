import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { RunPaths } from './run-paths.ts';
import { parseIndexLine, type IndexEntry } from './iteration-index.ts';

const CHUNK = 64 * 1024;

// The index lines of iterations `from - 1` and later, read backwards from the end of iterations.jsonl until a line
// of an earlier iteration (or the start of the file): the cost depends on how many iterations are asked for, not
// on the run's length. Lines are appended in iteration order; an iteration indexed twice keeps its last line, and
// torn or foreign lines are skipped, as in readIterationIndex.
export function readIndexTail(paths: RunPaths, from: number): Map<number, IndexEntry> {
  const found = new Map<number, IndexEntry>();
  let fd: number;
  try {
    fd = openSync(paths.index, 'r');
  } catch {
    return found;
  }
  try {
    let end = fstatSync(fd).size;
    let carry = Buffer.alloc(0);
    while (end > 0) {
      const start = Math.max(0, end - CHUNK);
      const chunk = Buffer.alloc(end - start);
      readSync(fd, chunk, 0, chunk.length, start);
      const data = Buffer.concat([chunk, carry]);
      end = start;
      if (start > 0 && data.indexOf(10) === -1) {
        carry = data; // one line longer than a chunk: read on
        continue;
      }
      // Bytes before the first newline may end a line that starts earlier in the file: they wait for the next chunk.
      const cut = start === 0 ? 0 : data.indexOf(10) + 1;
      const lines = data.subarray(cut).toString('utf8').split('\n');
      for (let i = lines.length - 1; i >= 0; i--) {
        const entry = parseIndexLine(lines[i]!);
        if (!entry) continue;
        if (entry.index < from - 1) return found;
        if (!found.has(entry.index)) found.set(entry.index, entry);
      }
      carry = data.subarray(0, cut);
    }
    return found;
  } finally {
    closeSync(fd);
  }
}
