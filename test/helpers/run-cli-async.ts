import { execa } from 'execa';
import { LOOP_BIN, type CliResult } from './run-cli.ts';

// Runs the real `loop` command without blocking this process: needed when the test itself serves something the
// command talks to (the Hub emulator).
export async function runCliAsync(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<CliResult> {
  const result = await execa(process.execPath, [LOOP_BIN, ...args], {
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
  });
  return { code: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
