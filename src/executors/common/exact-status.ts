import { readFileSync } from 'node:fs';
import { shellQuote } from './shell-quote.ts';

// exact-status.pl: runs the stage and writes PREFIX.exit from the real wait status, so a stage killed by signal N
// and one that ran `exit 128+N` are told apart. Perl is on every Debian system (perl-base is essential) and on nearly
// every cluster; where it is not, the wrappers fall back to the shell's $? (where 128+N may be either).
export const EXACT_STATUS_PERL = readFileSync(new URL('./exact-status.pl', import.meta.url), 'utf8');

// The shell lines of a wrapper script (Slurm batch script, SSH launch) that run the stage (argv as shell words) and
// record PREFIX.exit, leaving its status in $code.
export function exactStatusLines(prefix: string, argvWords: string): string[] {
  const p = shellQuote(prefix);
  return [
    'if command -v perl >/dev/null 2>&1; then',
    `  perl -e ${shellQuote(EXACT_STATUS_PERL)} ${p} ${argvWords}`,
    '  code=$?',
    'else',
    `  ${argvWords}`,
    '  code=$?',
    `  echo "$code" > ${p}.exit`,
    'fi',
  ];
}
