import { execa } from 'execa';
import { runCommand, type CommandRunner, type CommandResult } from '../../common/command-runner.ts';
import { sshArgs, type SshTarget } from '../../common/ssh-args.ts';

// Shell commands on one host through the system ssh (the executors' reused connection), and the pieces rsync and
// tar need to open the same connection.
export interface RemoteShell {
  /** "user@host" or "host", as the messages and rsync name it. */
  readonly destination: string;
  /** The ssh program and its options, without the destination: rsync's `-e`, the tar pipes' first words. */
  readonly sshCommand: string[];
  run(command: string, options?: { input?: string }): Promise<CommandResult>;
  /** A command's stdout as bytes (log increments), undefined when ssh failed. */
  bytes(command: string): Promise<Buffer | undefined>;
}

// One host's shell; the runner is injectable for tests, the byte reader always uses ssh itself.
export function createRemoteShell(target: SshTarget, runner: CommandRunner = runCommand): RemoteShell {
  const full = sshArgs(target, 'true');
  // sshArgs ends with: destination, "--", command.
  const sshCommand = full.slice(0, -3);
  return {
    destination: full.at(-3)!,
    sshCommand,
    run: (command, options) => runner(sshArgs(target, command), options),
    async bytes(command) {
      const args = sshArgs(target, command);
      const result = await execa(args[0]!, args.slice(1), { reject: false, encoding: 'buffer', stdin: 'ignore', timeout: 60_000 });
      return result.exitCode === 0 ? Buffer.from(result.stdout) : undefined;
    },
  };
}
