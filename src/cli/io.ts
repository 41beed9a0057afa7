import type { Style } from './output/style.ts';
import { createStyle } from './output/style.ts';

// The command's view of the world: streams, environment, clock and cwd, injected so commands are testable in-process.
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: Style;
  err: Style;
  print(text: string): void;
  error(text: string): void;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    out: createStyle(process.stdout),
    err: createStyle(process.stderr),
    print: (text) => void process.stdout.write(`${text}\n`),
    error: (text) => void process.stderr.write(`${text}\n`),
  };
}
