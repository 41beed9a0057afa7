import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { placeObject, type PlaceMethod } from './place-object.ts';

// The local store's bytes, content-addressed: objects/sha256/ab/abcdef…; a file stored once whatever the number
// of iterations and runs that hold it, read-only, and linked to the run folder's file where the filesystem allows.
export interface ObjectStore {
  pathOf(sha256: string): string;
  has(sha256: string): boolean;
  /** Stores a file under its hash (reflink, hard link or copy); undefined when the object was already there. */
  put(file: string, sha256: string): PlaceMethod | undefined;
}

export function objectStore(root: string): ObjectStore {
  const pathOf = (sha256: string) => path.join(root, 'objects', 'sha256', sha256.slice(0, 2), sha256);
  return {
    pathOf,
    has: (sha256) => existsSync(pathOf(sha256)),
    put(file, sha256) {
      const target = pathOf(sha256);
      if (existsSync(target)) return undefined;
      mkdirSync(path.dirname(target), { recursive: true });
      // Place under a temporary name, then rename: a crash never leaves a partial object under its hash.
      const tmp = `${target}.${process.pid}.tmp`;
      try {
        rmSync(tmp, { force: true });
        const method = placeObject(file, tmp);
        renameSync(tmp, target);
        return method;
      } finally {
        rmSync(tmp, { force: true });
      }
    },
  };
}
