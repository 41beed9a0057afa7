import { sleep } from '../../time/sleep.ts';
import { isProcessGroupAlive } from './is-process-group-alive.ts';

const POLL_MS = 25;

// After the leader exits, the rest of its group may still be handling SIGTERM: wait for it, but only until `deadline`.
// Returns true when the group is gone.
export async function waitForProcessGroupExit(
  pgid: number,
  deadline: number,
  isAlive: (pgid: number) => boolean = isProcessGroupAlive,
): Promise<boolean> {
  while (isAlive(pgid)) {
    if (Date.now() >= deadline) {
      return false;
    }

    await sleep(POLL_MS);
  }

  return true;
}
