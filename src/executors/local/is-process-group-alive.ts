import { readdirSync, readFileSync } from 'node:fs';

// Tells whether a group still holds a running process. On Linux it reads /proc so that zombies (which a
// non-reaping PID 1 in a container may leave forever) count as dead; elsewhere it falls back to kill(-pgid, 0).
export function isProcessGroupAlive(pgid: number): boolean {
  const fromProc = scanProc(pgid);
  if (fromProc !== undefined) {
    return fromProc;
  }

  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Looks for a non-zombie process whose group is `pgid`; undefined when /proc cannot be read.
function scanProc(pgid: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }

  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }

    const stat = readStat(entry);
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') {
      return true;
    }
  }

  return false;
}

// Parses the state and process group from /proc/<pid>/stat (fields after the parenthesized command name).
function readStat(pid: string): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}
