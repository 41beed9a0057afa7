import { killProcessGroup } from './kill-process-group.ts';
import { waitForProcessGroupExit } from './wait-for-process-group-exit.ts';
import type { TerminationReason } from '../common/termination.ts';

export interface GroupTerminator {
  /** Why termination was requested, or null when the process ended on its own. */
  readonly reason: TerminationReason | null;
  /** SIGTERM to the group now, SIGKILL after the grace period; later calls do nothing. */
  terminate(reason: TerminationReason): void;
  /** Called once the leader has exited: makes sure no member of a terminated group outlives the stage. */
  finish(): Promise<void>;
}

// How long to wait for the kernel to remove a group after SIGKILL, so callers see it gone when run() resolves.
const AFTER_KILL_MS = 2000;

// Timeout and cancellation share one escalation (SIGTERM, grace, SIGKILL) applied to the whole process group,
// so that a stage's grandchildren (`bash -c 'sleep 100 & wait'`) die with it.
export function createGroupTerminator(
  pgid: number | undefined,
  graceMs: number,
  killGroup: typeof killProcessGroup = killProcessGroup,
): GroupTerminator {
  let reason: TerminationReason | null = null;
  let killDeadline = 0;
  let killTimer: NodeJS.Timeout | undefined;

  return {
    get reason() {
      return reason;
    },

    terminate(why) {
      if (reason !== null || pgid === undefined) {
        return;
      }

      reason = why;
      killDeadline = Date.now() + graceMs;
      killGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
    },

    async finish() {
      clearTimeout(killTimer);
      if (reason === null || pgid === undefined) {
        return;
      }

      if (!(await waitForProcessGroupExit(pgid, killDeadline))) {
        killGroup(pgid, 'SIGKILL');
        await waitForProcessGroupExit(pgid, Date.now() + AFTER_KILL_MS);
      }
    },
  };
}
