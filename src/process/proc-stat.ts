import { readFileSync } from 'node:fs';

// The state letter, process group and start time (clock ticks since boot) of a process from /proc/PID/stat (the
// fields after the parenthesized command name), or undefined when the process is gone or /proc is not there. State
// Z or X means dead (a zombie). The start time tells a process from a later one that got the same pid.
export function readProcStat(pid: number | string): { state: string; pgrp: number; startTime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

// Whether a state letter from /proc means the process has ended (a zombie waits only to be reaped).
export function isDeadState(state: string): boolean {
  return state === 'Z' || state === 'X';
}
