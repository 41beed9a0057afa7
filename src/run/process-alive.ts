import { hostname } from 'node:os';

// Whether the controller recorded in a run state still lives (only answerable on the same host).
export function controllerAlive(controller: { pid: number; host: string } | null): boolean | undefined {
  if (!controller) return false;
  if (controller.host !== hostname()) return undefined;
  try {
    process.kill(controller.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
