import { UsageError } from '../errors/loop-error.ts';
import { RUN_NAME } from './names.ts';

// The longest run or sweep name. A name becomes one folder or file name (255 bytes on most file systems) with
// something appended: `NAME.html` (loop report), `.NAME.json.PID.tmp` (a sweep's manifest, written atomically),
// `NAME-N` (a default name made unique); a sweep's runs are `SWEEP.KEY-VALUE…`, each checked as a run name in
// full. 200 leaves room for all of these; shards add folders (shards/K), never to a name.
export const MAX_NAME_LENGTH = 200;

// The one check every run name (and sweep name) passes before a path is built from it: it must be a single folder
// name inside runs/ — no `/`, no `..`, no leading `.` — and short enough for the file system. `what` names it in
// the message (`run name`, `--name`, `sweep name`).
export function checkName(name: string, what = 'run name'): string {
  if (!RUN_NAME.test(name)) {
    const hint = what === 'run name' ? ' (`loop ls` lists the runs)' : '';
    throw new UsageError(
      `${what} "${name}" is not a valid name: use letters, digits, ".", "_" and "-", starting with a letter or digit${hint}`,
    );
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new UsageError(
      `${what} "${name.slice(0, 40)}…" is ${name.length} characters long; names are limited to ${MAX_NAME_LENGTH}: choose a shorter one`,
    );
  }
  return name;
}
