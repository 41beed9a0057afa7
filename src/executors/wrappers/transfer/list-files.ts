import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface LocalFile {
  path: string;
  size: number;
  /** Whole seconds, as tar keeps them. */
  mtime: number;
}

// Every regular file under the given files or folders (symbolic links and excluded folders left out), for the tar
// copier's comparison with the host.
export function listFiles(roots: string[], excludes: string[] = []): LocalFile[] {
  const files: LocalFile[] = [];
  const skip = new Set([...excludes, '.git']);
  const visit = (p: string) => {
    if (skip.has(p) || skip.has(path.basename(p))) return;
    const stat = lstatSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of readdirSync(p).sort()) visit(path.join(p, name));
    } else if (stat.isFile()) {
      files.push({ path: p, size: stat.size, mtime: Math.floor(stat.mtimeMs / 1000) });
    }
  };
  for (const root of roots) visit(root);
  return files;
}
