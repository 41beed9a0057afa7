import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { StageHooks } from './controller.ts';
import type { RunStore } from '../store/run-store.ts';
import type { Tracker } from '../tracking/tracker.ts';
import { recordProvenance } from '../provenance/record-provenance.ts';

// How long the end of a run waits for its trackers before leaving what is unsent in the outbox.
const SETTLE_MS = 15_000;

export interface TrackingHooks {
  tracker: Tracker;
  /** Filled before each stage with its tracking variables (read by the stage runner's trackingEnv). */
  stageEnvs: Map<string, Record<string, string>>;
  report: (line: string) => void;
}

// What the controller does around stages besides running them: record each iteration's provenance when it starts
// (and prepare the stage's tracking variables), publish each finished stage to the store, and at the run's end wait
// for uploads, tag the last iteration final and give the trackers a last chance to send.
export function runHooks(
  paths: RunPaths,
  recipe: Recipe,
  store: RunStore | undefined,
  now: () => Date,
  tracking?: TrackingHooks,
): StageHooks {
  return {
    beforeStage: async (input) => {
      await recordProvenance(paths, recipe, input.iteration, now());
      if (tracking)
        tracking.stageEnvs.set(`${input.iteration}/${input.stage}`, await tracking.tracker.stageEnv(input.iteration, input.stage));
    },
    afterStage: store ? (input) => store.afterStage(input.iteration, input.stage) : undefined,
    afterRun: async (state) => {
      try {
        if (!store) return;
        await store.drain();
        if (state.status === 'succeeded') await store.finishRun(state.iteration);
      } finally {
        if (tracking) {
          tracking.tracker.sync(state);
          const pending = await tracking.tracker.settle(SETTLE_MS);
          tracking.tracker.close();
          if (pending > 0)
            tracking.report(`tracking: ${pending} point(s) or message(s) still pending in ${paths.root}/tracking/outbox.jsonl`);
        }
      }
    },
  };
}
