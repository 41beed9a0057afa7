import { hostname } from 'node:os';
import { isPidAlive } from './is-pid-alive.ts';

// Whether the controller recorded in a run state still lives (only answerable on the same host).
export function controllerAlive(controller: { pid: number; host: string } | null): boolean | undefined {
  if (!controller) return false;
  if (controller.host !== hostname()) return undefined;
  return isPidAlive(controller.pid);
}
