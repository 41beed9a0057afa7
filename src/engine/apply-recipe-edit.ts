import { existsSync, readdirSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { plateauHigherIsBetter } from '../recipe/plateau-direction.ts';
import type { Recipe } from '../recipe/types.ts';
import { judgeRecipeEdit, type ClassifiedChange } from '../recipe/judge-recipe-edit.ts';
import { LoopError } from '../errors/loop-error.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { RunState } from '../run-folder/run-state.ts';
import { writeRunState } from '../run-folder/run-state.ts';
import { appendEvent } from '../run-folder/events-log.ts';
import { readIterationStageRecord } from '../run-folder/stage-record.ts';
import { RL_STAGES } from '../recipe/stage-names.ts';

// Switches a paused, failed or interrupted run to an edited recipe: accepted when the edit touches only work that
// has not run yet in the current iteration, refused naming the keys otherwise (unless forced). The change goes into
// the event log, the new recipe replaces recipe.json, and the stop rule in the snapshot follows it.
export function applyRecipeEdit(
  paths: RunPaths,
  state: RunState,
  before: Recipe,
  after: Recipe,
  source: string,
  options: { force: boolean; by: string },
): { changes: ClassifiedChange[]; state: RunState } {
  // Finished work is what succeeded (or may still be running) in the current iteration; a failed or canceled stage
  // runs again anyway, so fixing its definition is exactly what an edit is for.
  // The RL phase's stages live in rl/, not in the iteration's folder: they count once the phase ran after this iteration.
  const folders = existsSync(paths.iteration(state.iteration)) ? readdirSync(paths.iteration(state.iteration)) : [];
  const started = [...folders, ...RL_STAGES].filter((stage) => {
    const status = readIterationStageRecord(paths, state.iteration, stage)?.status;
    return status === 'succeeded' || status === 'running';
  });
  const { changes, refused } = judgeRecipeEdit(before, after, { iteration: state.iteration, started });
  if (refused.length > 0 && !options.force) {
    const lines = refused.map((c) => `  ${c.path}: ${c.reason}`).join('\n');
    throw new LoopError(
      'E_RECIPE_EDIT',
      `the edited recipe would change finished work of run ${state.name}:\n${lines}\n` +
        "revert those keys, or pass --force to accept them anyway (recorded in the run's history)",
    );
  }
  if (changes.length === 0) return { changes, state };
  appendEvent(paths.events, {
    at: new Date().toISOString(),
    type: 'recipe-edit',
    from: null,
    to: 'recipe-edit',
    iteration: state.iteration,
    stage: state.stage,
    by: options.by,
    forced: refused.length > 0,
    changes: changes.map((c) => ({ path: c.path, before: c.before, after: c.after, verdict: c.verdict, reason: c.reason })),
  });
  writeFileAtomic(paths.recipe, `${JSON.stringify(after, null, 2)}\n`);
  writeFileAtomic(paths.recipeSource, source);
  const snapshot = structuredClone(state.snapshot) as { context: Record<string, unknown> };
  snapshot.context.until = after.until;
  snapshot.context.stages = after.stages.map((s) => s.name);
  snapshot.context.plateauHigherIsBetter = plateauHigherIsBetter(after);
  const next = { ...state, snapshot };
  writeRunState(paths.state, next);
  return { changes, state: next };
}
