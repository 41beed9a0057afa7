import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { shellQuote } from '../../common/shell-quote.ts';
import type { RemoteShell } from './remote-shell.ts';

// Appends what the host's attempt log gained since the last pull to the stage's log.txt, so the log reads live as
// for a local stage. PREFIX.log-offset remembers how many bytes were taken (a crash between the append and that
// note may repeat a few lines, never lose any).
export async function pullLog(shell: RemoteShell, remoteLog: string, localLog: string, prefix: string): Promise<void> {
  const offsetFile = `${prefix}.log-offset`;
  const offset = readOffset(offsetFile);
  const bytes = await shell.bytes(`tail -c +${offset + 1} ${shellQuote(remoteLog)} 2>/dev/null; true`);
  if (!bytes || bytes.length === 0) return;
  appendFileSync(localLog, bytes);
  writeFileSync(offsetFile, String(offset + bytes.length));
}

// Bytes of the host's log already appended to log.txt; 0 when never pulled.
export function readOffset(file: string): number {
  try {
    const value = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isFinite(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}
