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

// The process's own streams, each opened on first use: Node builds process.stdout and process.stderr lazily, and
// building one costs a few milliseconds, so `loop --version` pays for stdout only.
export function processIO(): CliIO {
  let out: Style | undefined;
  let err: Style | undefined;
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    env: process.env,
    cwd: process.cwd(),
    get out() {
      return (out ??= createStyle(process.stdout));
    },
    get err() {
      return (err ??= createStyle(process.stderr));
    },
    print: (text) => void process.stdout.write(`${text}\n`),
    error: (text) => void process.stderr.write(`${text}\n`),
  };
}
