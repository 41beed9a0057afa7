import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { StageHooks } from './controller.ts';
import type { RunStore } from '../store/run-store.ts';
import { recordProvenance } from '../provenance/record-provenance.ts';

// What the controller does around stages besides running them: record each iteration's provenance when it starts,
// publish each finished stage to the store, and at the run's end wait for uploads and tag the last iteration final.
export function runHooks(paths: RunPaths, recipe: Recipe, store: RunStore | undefined, now: () => Date): StageHooks {
  return {
    beforeStage: (input) => recordProvenance(paths, recipe, input.iteration, now()),
    afterStage: store ? (input) => store.afterStage(input.iteration, input.stage) : undefined,
    afterRun: async (state) => {
      if (!store) return;
      await store.drain();
      if (state.status === 'succeeded') await store.finishRun(state.iteration);
    },
  };
}
