import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

// Why a declared output cannot be accepted because part of it lies outside the stage's output folder (a symbolic
// link pointing out), or undefined when it is all inside. Checked when a stage ends, so such an output fails the
// attempt (and reruns) instead of being published.
export function escapingPath(outDir: string, rel: string): string | undefined {
  const root = realpathSync(outDir);
  const visit = (abs: string, shown: string): string | undefined => {
    if (!existsSync(abs))
      return lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink() ? `${shown} is a broken symbolic link` : undefined;
    const real = realpathSync(abs);
    if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
      return `${shown} points outside {{ out }}, to ${real}; copy the file into {{ out }} instead of linking to it`;
    }
    if (!statSync(real).isDirectory()) return undefined;
    for (const name of readdirSync(abs)) {
      const found = visit(path.join(abs, name), `${shown}/${name}`);
      if (found) return found;
    }
    return undefined;
  };
  return visit(path.join(outDir, rel), rel);
}
