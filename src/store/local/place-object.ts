import { chmodSync, constants, copyFileSync, linkSync, realpathSync } from 'node:fs';

/** How a file's bytes reached the store: a copy-on-write clone, a second name for the same inode, or a copy. */
export type PlaceMethod = 'reflink' | 'hardlink' | 'copy';

// Puts a finished output's bytes at `dest` without a second copy on disk where the filesystem allows, as DVC's
// cache types do: a reflink (copy-on-write clone: btrfs, XFS, APFS…; independent of the source from then on), else
// a hard link (same filesystem), else a copy (another filesystem). The result is made read-only (0444): for a hard
// link that is the run folder's file too, the same inode, so no later write through it goes unnoticed; a stage
// attempt never writes there, as every attempt starts from a fresh, empty out folder (docs/artifacts.md).
export function placeObject(source: string, dest: string): PlaceMethod {
  const method = reflink(source, dest) ? 'reflink' : hardlink(source, dest) ? 'hardlink' : 'copy';
  if (method === 'copy') copyFileSync(source, dest);
  chmodSync(dest, 0o444);
  return method;
}

function reflink(source: string, dest: string): boolean {
  try {
    copyFileSync(source, dest, constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  }
}

// The link names the file itself, not a symbolic link on the way (link(2) would link the symbolic link).
function hardlink(source: string, dest: string): boolean {
  try {
    linkSync(realpathSync(source), dest);
    return true;
  } catch {
    return false;
  }
}
