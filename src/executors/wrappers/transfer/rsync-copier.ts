import { mkdirSync } from 'node:fs';
import { execa } from 'execa';
import type { CommandRunner } from '../../common/command-runner.ts';
import { shellCommand, shellQuote } from '../../common/shell-quote.ts';
import { lastLines, type Copier, type CopyResult } from './copier.ts';
import type { RemoteShell } from './remote-shell.ts';

// rsync over the same ssh connection: only changed files travel (size and mtime, rsync's quick check), folders are
// mirrored with --delete, and -R keeps each absolute path under the working directory. -s keeps odd names whole.
export function createRsyncCopier(shell: RemoteShell, workdir: string, runner: CommandRunner = runCopy): Copier {
  const base = ['rsync', '-a', '-s', '--delete', '-e', shellCommand(shell.sshCommand)];
  const run = async (argv: string[]): Promise<CopyResult> => {
    const result = await runner(argv);
    return result.exitCode === 0
      ? { ok: true }
      : { ok: false, error: `rsync exited with code ${result.exitCode}: ${lastLines(result.stderr)}` };
  };
  return {
    tool: 'rsync',
    async push(paths, excludes, prepare) {
      // Anchored patterns: with -R they match the full path of what is sent (named paths are sent all the same).
      const exclude = ['--exclude=.git/', ...excludes.map((p) => `--exclude=${p}/`)];
      // The preparation runs in front of the remote rsync: one ssh session instead of two.
      const remote = `--rsync-path=${prepare} && mkdir -p ${shellQuote(workdir)} && rsync`;
      return run([...base, '-R', remote, ...exclude, ...paths, `${shell.destination}:${workdir}/`]);
    },
    async pull(remoteDir, localDir) {
      mkdirSync(localDir, { recursive: true });
      return run([...base, `${shell.destination}:${remoteDir}/`, `${localDir}/`]);
    },
  };
}

// Runs rsync with no time limit (a checkpoint may take hours to travel); a failure is data, never an exception.
const runCopy: CommandRunner = async (argv) => {
  const result = await execa(argv[0]!, argv.slice(1), { reject: false, stdin: 'ignore' });
  if (result.exitCode === undefined) return { exitCode: 127, stdout: '', stderr: result.originalMessage ?? result.message ?? '' };
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
};
