import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

// The files the stage wrapper leaves: PREFIX.starts (a pid line per start; the last one is the live wrapper),
// and PREFIX.exit once the stage has ended.
export function readAttemptPid(prefix: string): number | undefined {
  try {
    const lines = readFileSync(`${prefix}.starts`, 'utf8').trim().split('\n');
    const pid = Number.parseInt(lines.at(-1) ?? '', 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function readAttemptExit(prefix: string): number | undefined {
  return readNumber(`${prefix}.exit`);
}

// A recorded exit status as exit code or signal: 128+N means the stage died of signal N, 256+C that it exited with
// code C above 128 itself (recorded so by the wrapper's exact path, exact-status.ts).
export function decodeExitStatus(status: number): { exitCode: number | null; signal: string | null } {
  if (status > 256 && status < 512) return { exitCode: status - 256, signal: null };
  if (status > 128 && status <= 128 + 64) {
    const name = Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0];
    if (name) return { exitCode: null, signal: name };
  }
  return { exitCode: status, signal: null };
}

function readNumber(file: string): number | undefined {
  try {
    const value = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
