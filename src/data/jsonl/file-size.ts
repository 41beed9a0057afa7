import { statSync } from 'node:fs';
import { DataError } from './jsonl-error.ts';

// The size of an input file (for progress), or a DataError naming the file when it cannot be read.
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new DataError(`cannot read ${file}: ${why}; check the path`, { cause: error });
  }
}
