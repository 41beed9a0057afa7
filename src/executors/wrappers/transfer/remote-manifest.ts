import { shellQuote } from '../../common/shell-quote.ts';

/** Files up to this size get a sha256 on both ends; bigger ones (checkpoints) are checked by size alone. */
export const HASH_LIMIT_BYTES = 16 * 1024 * 1024;

export interface ManifestEntry {
  size: number;
  sha256?: string;
}

// The shell command that lists a folder on the host: "SIZE ./PATH" per regular file (wc -c, which every POSIX
// system has), then, after a marker line, sha256sum of the files up to HASH_LIMIT_BYTES (skipped where missing).
export function manifestCommand(remoteDir: string): string {
  return [
    `cd ${shellQuote(remoteDir)} || exit 3`,
    `find . -type f -exec wc -c {} + 2>/dev/null`,
    `echo ${MARKER}`,
    `find . -type f -size -${HASH_LIMIT_BYTES + 1}c -exec sha256sum {} + 2>/dev/null`,
    'true',
  ].join('\n');
}

const MARKER = '::sha256';

// The manifest by relative path ("a/b.json"), from manifestCommand's output; wc's "total" lines are skipped.
export function parseManifest(stdout: string): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  const [sizes = '', hashes = ''] = stdout.split(`${MARKER}\n`);
  for (const line of sizes.split('\n')) {
    const match = /^\s*(\d+)\s+\.\/(.+)$/.exec(line);
    if (match) entries.set(match[2]!, { size: Number(match[1]) });
  }
  for (const line of hashes.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?\.\/(.+)$/.exec(line);
    const entry = match ? entries.get(match[2]!) : undefined;
    if (entry) entry.sha256 = match![1];
  }
  return entries;
}
