import { shellCommand, shellQuote } from './shell-quote.ts';
import { exactStatusLines } from './exact-status.ts';

export interface WrapperParts {
  /** PREFIX: the attempt leaves PREFIX.starts (a pid line per start) and PREFIX.exit (its exit status). */
  prefix: string;
  env: Record<string, string>;
  /** Shell lines run first (module load, conda activate); a failing line fails the attempt. */
  setup: string[];
  argv: string[];
}

// The body of the local stage wrapper (stage-wrapper.sh), written out as shell text for hosts where loop is not
// installed: a Slurm batch script or a detached SSH command. Same files, same protocol, so one reader collects
// the outcome whatever ran it.
export function wrapperScript(parts: WrapperParts): string {
  const prefix = shellQuote(parts.prefix);
  const fail = (what: string) => `{ echo ${shellQuote(`loop: ${what}`)} >&2; echo 127 > ${prefix}.exit; exit 127; }`;
  const program = parts.argv[0] as string;
  return [
    `echo "$$" >> ${prefix}.starts`,
    `rm -f ${prefix}.exit`,
    ...Object.entries(parts.env).map(([key, value]) => `export ${key}=${shellQuote(value)}`),
    ...parts.setup.map((line) => `${line} || ${fail(`setup line failed: ${line}`)}`),
    `command -v ${shellQuote(program)} >/dev/null 2>&1 || ${fail(`program not found: ${program}`)}`,
    // A handler, not an ignore (which the stage would inherit): the stage gets SIGTERM, the shell stays to record it.
    `trap ':' TERM INT HUP`,
    ...exactStatusLines(parts.prefix, shellCommand(parts.argv)),
    'exit "$code"',
  ].join('\n');
}
