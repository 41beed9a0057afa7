import { statSync } from 'node:fs';

// Node reports a missing cwd as ENOENT on the program, which would blame the wrong thing: check it first.
// Returns an error message, or undefined when the directory is usable.
export function checkWorkingDirectory(cwd: string): string | undefined {
  try {
    return statSync(cwd).isDirectory() ? undefined : `working directory is not a directory: ${cwd}`;
  } catch {
    return `working directory not found: ${cwd}`;
  }
}
