import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const LOOP_BIN = fileURLToPath(new URL('../../bin/loop.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

// Runs the real `loop` command in a child process, as a user would (no terminal, so no live progress).
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): CliResult {
  const result = spawnSync(process.execPath, [LOOP_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
