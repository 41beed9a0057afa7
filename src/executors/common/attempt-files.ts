import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

// The files an attempt leaves: PREFIX.starts (a line per start; the last one is the live attempt), and PREFIX.exit
// once the stage has ended. A wrapper's line is its pid; the local launcher's (stage-launcher.mjs) is
// "PID START LAUNCHER_PID LAUNCHER_START": the stage's pid, and the start times that tell both processes from later
// ones given the same pids.
export interface AttemptStart {
  pid: number;
  /** The stage's start time in /proc ("?" where unknown); set when the launcher started it. */
  startTime?: string;
  /** The launcher that records this attempt's exit. */
  recorder?: { pid: number; startTime: string };
}

export function readAttemptStart(prefix: string): AttemptStart | undefined {
  let lines: string[];
  try {
    lines = readFileSync(`${prefix}.starts`, 'utf8').trim().split('\n');
  } catch {
    return undefined;
  }
  const [pid, startTime, recorderPid, recorderStart] = (lines.at(-1) ?? '').trim().split(' ');
  const parsed = Number.parseInt(pid ?? '', 10);
  if (!Number.isFinite(parsed)) return undefined;
  const recorder = Number.parseInt(recorderPid ?? '', 10);
  return startTime !== undefined && Number.isFinite(recorder) && recorderStart !== undefined
    ? { pid: parsed, startTime, recorder: { pid: recorder, startTime: recorderStart } }
    : { pid: parsed };
}

export function readAttemptPid(prefix: string): number | undefined {
  return readAttemptStart(prefix)?.pid;
}

// What an attempt that ended with no PREFIX.exit reports: what would have recorded its end was killed with it.
export const UNRECORDED_EXIT = 'the stage process ended without a recorded exit status (the process that records it was killed)';

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
