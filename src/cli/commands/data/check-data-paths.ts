import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../../errors/loop-error.ts';

// A flag and the path it was given; an absent optional flag is left out by passing undefined.
export type PathFlag = [flag: string, file: string | undefined];

// Refuses, before a data step reads anything, an output that would destroy an input or another output (the same
// file however spelled: `./x`, a symbolic link, a hard link — real paths and device/inode are compared) and an
// output that names a folder. Paths resolve against `cwd`.
export function checkDataPaths(cwd: string, inputs: PathFlag[], outputs: PathFlag[]): void {
  const seen: Array<{ flag: string; file: string; id: Identity }> = [];
  for (const [flag, file] of inputs) if (file !== undefined) seen.push({ flag, file, id: identity(path.resolve(cwd, file)) });
  for (const [flag, file] of outputs) {
    if (file === undefined) continue;
    const abs = path.resolve(cwd, file);
    if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UsageError(`--${flag} ${file} is a folder; name the file to write, e.g. ${path.join(file, 'out.jsonl')}`);
    }
    const id = identity(abs);
    const same = seen.find((s) => sameFile(s.id, id));
    if (same) {
      throw new UsageError(
        `--${flag} ${file} is the same file as --${same.flag} ${same.file}; writing it would destroy it: choose another --${flag}`,
      );
    }
    seen.push({ flag, file, id });
  }
}

interface Identity {
  real: string;
  inode?: string;
}

// Where a path really leads (its folder resolved when the file does not exist yet), and its device and inode if it exists.
function identity(abs: string): Identity {
  const stat = statSync(abs, { throwIfNoEntry: false });
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    try {
      real = path.join(realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      real = abs;
    }
  }
  return { real, inode: stat ? `${stat.dev}:${stat.ino}` : undefined };
}

function sameFile(a: Identity, b: Identity): boolean {
  return a.real === b.real || (a.inode !== undefined && a.inode === b.inode);
}
