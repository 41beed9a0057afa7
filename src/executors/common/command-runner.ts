import { execa } from 'execa';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// Runs one short command (sbatch, squeue, ssh …) and returns its output; a failure is data, never an exception.
export type CommandRunner = (argv: string[], options?: { input?: string }) => Promise<CommandResult>;

// The real runner: no shell, output captured, a missing program reported as exit code 127 with the reason.
export const runCommand: CommandRunner = async (argv, options = {}) => {
  const result = await execa(argv[0] as string, argv.slice(1), {
    reject: false,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    timeout: 120_000,
  });
  if (result.exitCode === undefined) {
    const reason = result.code === 'ENOENT' ? `program not found: ${argv[0]}` : (result.originalMessage ?? result.message);
    return { exitCode: 127, stdout: '', stderr: reason ?? '' };
  }
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
};
