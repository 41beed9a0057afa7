import path from 'node:path';
import { shellQuote } from '../../common/shell-quote.ts';
import type { RemoteShell } from './remote-shell.ts';

// Writes small files on the host, one ssh call each over the shared connection: the text goes on standard input
// (never in an argument list, which `ps` shows on both ends), into a file only its owner can read (umask 077).
export async function putFiles(
  shell: RemoteShell,
  files: Array<{ path: string; text: string }>,
): Promise<{ ok: true } | { ok: false; error: string }> {
  for (const file of files) {
    const target = shellQuote(file.path);
    const command = `umask 077 && mkdir -p ${shellQuote(path.posix.dirname(file.path))} && rm -f ${target} && cat > ${target}`;
    const result = await shell.run(command, { input: file.text });
    if (result.exitCode !== 0) {
      return {
        ok: false,
        error: `cannot write ${file.path} on ${shell.destination}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`,
      };
    }
  }
  return { ok: true };
}
