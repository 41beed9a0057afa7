import { readFileSync } from 'node:fs';
import { isDeadState, readProcStat } from './proc-stat.ts';

// Whether a process on this host still runs. On Linux it reads /proc/<pid>/stat so that a zombie (which a
// non-reaping PID 1 in a container may keep forever) counts as dead; elsewhere it falls back to kill(pid, 0).
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const stat = readProcStat(pid);
  if (stat) return !isDeadState(stat.state);
  if (procReadable()) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// True where /proc describes processes, so a missing /proc/<pid> means the process is gone.
function procReadable(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}
