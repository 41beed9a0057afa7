import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

// Looks a program up as execve would (a path, or each PATH entry), so "program not found" is still reported
// as data although stages start through the wrapper shell.
export function findProgram(program: string, cwd: string, pathVariable: string | undefined): { error?: string } {
  const candidates = program.includes('/')
    ? [path.resolve(cwd, program)]
    : (pathVariable ?? '')
        .split(':')
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  let sawNonExecutable = false;
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
    } catch {
      continue;
    }
    try {
      accessSync(candidate, constants.X_OK);
      return {};
    } catch {
      sawNonExecutable = true;
    }
  }
  return {
    error: sawNonExecutable ? `program not executable (permission denied): ${program}` : `program not found: ${program}`,
  };
}
