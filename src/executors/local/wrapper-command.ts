import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The wrappers that record an attempt's pid and exit status: Perl's where the stage's PATH has Perl (one process
// start per stage less: the shell wrapper starts Perl itself for the exact status), else the shell's.
const SHELL_WRAPPER = fileURLToPath(new URL('./stage-wrapper.sh', import.meta.url));
const PERL_WRAPPER = fileURLToPath(new URL('./stage-wrapper.pl', import.meta.url));

const perlByPath = new Map<string, string | null>();

// The program and arguments that run `argv` under the wrapper, leaving PREFIX.starts and PREFIX.exit.
export function wrapperCommand(prefix: string, argv: string[], pathVariable: string | undefined): [string, string[]] {
  const perl = findPerl(pathVariable ?? '');
  return perl ? [perl, [PERL_WRAPPER, prefix, ...argv]] : ['/bin/sh', [SHELL_WRAPPER, prefix, ...argv]];
}

// Perl on a PATH, as the shell wrapper's `command -v perl` finds it; looked up once per PATH.
function findPerl(pathVariable: string): string | null {
  let found = perlByPath.get(pathVariable);
  if (found !== undefined) return found;
  found = null;
  for (const dir of pathVariable.split(':').filter(Boolean)) {
    const candidate = path.join(dir, 'perl');
    try {
      accessSync(candidate, constants.X_OK);
      found = candidate;
      break;
    } catch {}
  }
  perlByPath.set(pathVariable, found);
  return found;
}
