import type { Style } from './style.ts';
import type { RunStatus } from '../../run-folder/run-state.ts';

// A run status in its colour: green done, red failed, yellow paused or stopped, cyan running.
export function statusColor(s: Style, status: RunStatus): string {
  switch (status) {
    case 'succeeded':
      return s.green(status);
    case 'failed':
      return s.red(status);
    case 'paused':
    case 'stopped':
      return s.yellow(status);
    default:
      return s.cyan(status);
  }
}
