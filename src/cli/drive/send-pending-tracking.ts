import type { CliIO } from '../io.ts';
import type { Recipe } from '../../recipe/types.ts';
import type { RunPaths } from '../../run-folder/run-paths.ts';
import type { RunState } from '../../run-folder/run-state.ts';
import { openTracker } from '../../tracking/tracker.ts';
import { pendingEntries, readOutbox } from '../../tracking/outbox.ts';
import { trackingPaths } from '../../tracking/tracking-paths.ts';
import { TrackingError } from '../../tracking/tracking-error.ts';
import { sleep } from '../../time/sleep.ts';

// How long `loop resume` of a finished run waits for its trackers.
const SEND_MS = 60_000;

// `loop resume NAME` of a succeeded or stopped run: sends the points and messages its outbox still holds (a
// tracker was down at the run's end). Exit 0 when nothing is left; a TrackingError when something still is.
export async function sendPendingTracking(paths: RunPaths, recipe: Recipe, state: RunState, io: CliIO, waitMs = SEND_MS): Promise<number> {
  const before = pendingEntries(readOutbox(trackingPaths(paths, recipe))).length;
  const tracker = openTracker({
    name: state.name,
    paths,
    recipe,
    env: io.env,
    fetch: globalThis.fetch,
    now: () => new Date(),
    sleep: (ms) => sleep(ms),
    report: (line) => io.error(line),
    createdAt: state.createdAt,
  })!;
  tracker.sync(state);
  const left = await tracker.settle(waitMs);
  tracker.close();
  const queued = Math.max(before, left);
  if (left > 0) {
    throw new TrackingError(
      `run ${state.name} has ${state.status}; ${left} tracking point(s) or message(s) are still pending (see the lines above); ` +
        `\`loop resume ${state.name}\` tries again`,
    );
  }
  io.error(
    `run ${state.name} has ${state.status}; ${queued > 0 ? 'sent what was pending in its outbox' : 'nothing was pending in its outbox'}`,
  );
  return 0;
}
