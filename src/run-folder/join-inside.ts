import path from 'node:path';
import { UsageError } from '../errors/loop-error.ts';

// Joins a name (a run name, a stage name from a recipe key) under its root, refusing any result that is not strictly
// inside the root: a name that slipped past its own check must still never reach a folder outside.
export function joinInside(root: string, name: string): string {
  const joined = path.join(root, name);
  const rel = path.relative(root, joined);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UsageError(`"${name}" would lead outside ${root}; names must be a single folder name`);
  }
  return joined;
}
