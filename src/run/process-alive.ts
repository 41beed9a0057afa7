import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

// Whether a process lives: signal 0 reaches it and /proc does not show it as a zombie (a container's PID 1 may
// never reap a killed controller, which then answers signal 0 forever).
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

// Whether the controller recorded in a run state still lives (only answerable on the same host).
export function controllerAlive(controller: { pid: number; host: string } | null): boolean | undefined {
  if (!controller) return false;
  if (controller.host !== hostname()) return undefined;
  return pidAlive(controller.pid);
}
