import { statSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../data/jsonl/jsonl-error.ts';

// Resolves an input path against the command's cwd and returns it with its size (for progress); a missing file is a
// data error that names the flag and the path.
export function inputFile(cwd: string, flag: string, file: string): { path: string; bytes: number } {
  const resolved = path.resolve(cwd, file);
  try {
    const stat = statSync(resolved);
    if (!stat.isFile()) throw new Error('not a file');
    return { path: resolved, bytes: stat.size };
  } catch {
    throw new DataError(`--${flag}: no file at ${resolved}; check the path`);
  }
}
