import { readdirSync } from 'node:fs';
import { isDeadState, readProcStat } from '../../process/proc-stat.ts';

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

    const stat = readProcStat(entry);
    if (stat !== undefined && stat.pgrp === pgid && !isDeadState(stat.state)) {
      return true;
    }
  }

  return false;
}
