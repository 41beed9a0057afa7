import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { shellCommand, shellQuote } from '../../common/shell-quote.ts';
import { lastLines, type Copier, type CopyResult } from './copier.ts';
import { listFiles } from './list-files.ts';
import type { RemoteShell } from './remote-shell.ts';
import { remotePath } from './remote-path.ts';

// tar streamed through ssh, for hosts without rsync: before sending, the host lists the size and mtime of the files
// it already has (GNU find), and only the files that differ travel; a pull replaces the local folder whole.
export function createTarCopier(shell: RemoteShell, workdir: string): Copier {
  return {
    tool: 'tar',
    async push(paths, excludes, prepare) {
      const prepared = await shell.run(prepare);
      if (prepared.exitCode !== 0)
        return { ok: false, error: `preparing the host failed: ${lastLines(prepared.stderr) || `exit code ${prepared.exitCode}`}` };
      // Excluded folders stay behind, but a path named itself is sent (an earlier output inside the loop home).
      const files = paths.flatMap((p) =>
        listFiles(
          [p],
          excludes.filter((e) => e !== p && !p.startsWith(`${e}/`)),
        ),
      );
      if (files.length === 0) return { ok: true };
      const have = await remoteListing(shell, workdir, paths);
      const changed = files.filter((f) => have.get(remotePath(workdir, f.path)) !== `${f.size} ${f.mtime}`);
      if (changed.length === 0) return { ok: true };
      // Paths relative to / on the list (NUL-separated, on stdin), extracted under the working directory.
      const list = changed.map((f) => f.path.replace(/^\/+/, '')).join('\0');
      const receive = `mkdir -p ${shellQuote(workdir)} && tar -C ${shellQuote(workdir)} -xf -`;
      return pipe(['tar', '-C', '/', '--null', '-T', '-', '-cf', '-'], list, [...shell.sshCommand, shell.destination, '--', receive]);
    },
    async pull(remoteDir, localDir) {
      rmSync(localDir, { recursive: true, force: true });
      mkdirSync(localDir, { recursive: true });
      const send = `cd ${shellQuote(remoteDir)} && tar -cf - .`;
      return pipe([...shell.sshCommand, shell.destination, '--', send], undefined, ['tar', '-C', localDir, '-xf', '-']);
    },
  };
}

// "SIZE MTIME" of each file the host has under the mirrored paths, by remote path; empty when find cannot say.
async function remoteListing(shell: RemoteShell, workdir: string, paths: string[]): Promise<Map<string, string>> {
  const mirrored = paths.map((p) => shellQuote(remotePath(workdir, p))).join(' ');
  const listed = await shell.run(`find ${mirrored} -type f -printf '%s %T@ %p\\n' 2>/dev/null; true`);
  const have = new Map<string, string>();
  for (const line of listed.stdout.split('\n')) {
    const match = /^(\d+) (\d+)(?:\.\d+)? (.+)$/.exec(line);
    if (match) have.set(match[3]!, `${match[1]} ${match[2]}`);
  }
  return have;
}

// Runs `from | to` without a shell (stdin text for the first), failing when either side fails.
function pipe(from: string[], input: string | undefined, to: string[]): Promise<CopyResult> {
  return new Promise((resolve) => {
    const a = spawn(from[0]!, from.slice(1), { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const b = spawn(to[0]!, to.slice(1), { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    a.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    b.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    a.stdout!.pipe(b.stdin!);
    b.stdin!.on('error', () => undefined);
    if (input !== undefined) a.stdin!.end(input);
    const codes: Array<number | null> = [];
    const done = (code: number | null) => {
      codes.push(code);
      if (codes.length < 2) return;
      if (codes.every((c) => c === 0)) resolve({ ok: true });
      else resolve({ ok: false, error: `${shellCommand([from[0]!])} | ${to[0]} failed (exit ${codes.join(', ')}): ${lastLines(errors)}` });
    };
    a.on('error', (error) => {
      errors += error.message;
    });
    b.on('error', (error) => {
      errors += error.message;
    });
    a.on('close', done);
    b.on('close', done);
  });
}
