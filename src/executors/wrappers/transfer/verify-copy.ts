import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { listFiles } from './list-files.ts';
import type { ManifestEntry } from './remote-manifest.ts';

// Checks a copied folder against the host's manifest before it is accepted: the same files, each of the same size,
// and the same sha256 where the host computed one. Returns why not, or undefined when the copy is whole.
export async function verifyCopy(manifest: Map<string, ManifestEntry>, localDir: string): Promise<string | undefined> {
  const local = new Map(listFiles([localDir]).map((f) => [path.relative(localDir, f.path), f.size]));
  const problems: string[] = [];
  for (const [rel, entry] of manifest) {
    const size = local.get(rel);
    if (size === undefined) problems.push(`${rel} is missing`);
    else if (size !== entry.size) problems.push(`${rel} has ${size} bytes, the host has ${entry.size}`);
    else if (entry.sha256 !== undefined && (await sha256(path.join(localDir, rel))) !== entry.sha256) {
      problems.push(`${rel} differs from the host's copy (sha256)`);
    }
  }
  for (const rel of local.keys()) if (!manifest.has(rel)) problems.push(`${rel} is not on the host`);
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, 5).join('; ');
  return problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown;
}

// The sha256 of one file, streamed.
async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
