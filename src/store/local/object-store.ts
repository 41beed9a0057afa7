import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

// The local store's bytes, content-addressed: objects/sha256/ab/abcdef…; a file stored once whatever the number
// of iterations and runs that hold it.
export interface ObjectStore {
  pathOf(sha256: string): string;
  has(sha256: string): boolean;
  /** Copies a file in under its hash; returns false when the object was already there (nothing copied). */
  put(file: string, sha256: string): boolean;
}

export function objectStore(root: string): ObjectStore {
  const pathOf = (sha256: string) => path.join(root, 'objects', 'sha256', sha256.slice(0, 2), sha256);
  return {
    pathOf,
    has: (sha256) => existsSync(pathOf(sha256)),
    put(file, sha256) {
      const target = pathOf(sha256);
      if (existsSync(target)) return false;
      mkdirSync(path.dirname(target), { recursive: true });
      // Copy to a temporary name, then rename: a crash never leaves a partial object under its hash.
      const tmp = `${target}.${process.pid}.tmp`;
      try {
        copyFileSync(file, tmp);
        renameSync(tmp, target);
      } finally {
        rmSync(tmp, { force: true });
      }
      return true;
    },
  };
}
