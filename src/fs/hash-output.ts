import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './sha256-file.ts';

export interface OutputDigest {
  bytes: number;
  /** sha256 of a file; for a folder, sha256 over its files' relative paths, sizes and sha256s in sorted order. */
  sha256: string;
}

// Sizes and hashes a declared output (file or folder), streaming, so a stage's outputs are recorded as they were
// when it was accepted.
export async function hashOutput(target: string): Promise<OutputDigest> {
  const info = await stat(target);
  if (!info.isDirectory()) return { bytes: info.size, sha256: await sha256File(target) };
  const entries = await listFiles(target);
  const tree = createHash('sha256');
  let bytes = 0;
  for (const rel of entries) {
    const file = path.join(target, rel);
    const size = (await stat(file)).size;
    bytes += size;
    tree.update(`${rel}\0${size}\0${await sha256File(file)}\n`);
  }
  return { bytes, sha256: tree.digest('hex') };
}

// Every file under a folder, as sorted relative POSIX paths (symbolic links are followed).
async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(path.join(root, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    // stat, not the directory entry: a symbolic link to a folder is hashed as the folder it points to.
    if ((await stat(path.join(root, rel))).isDirectory()) found.push(...(await listFiles(root, rel)));
    else found.push(rel);
  }
  return found.sort();
}
