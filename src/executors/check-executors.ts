import { isDeepStrictEqual } from 'node:util';
import { LoopError } from '../errors/loop-error.ts';
import type { Recipe } from '../recipe/types.ts';
import { getExecutor } from './registry.ts';
import { isRlStage } from '../recipe/stage-names.ts';

// Before a run starts: every stage's executor must be one this version can run. The message lists the exact
// overrides that move the stages concerned to this machine.
export function checkExecutorsAvailable(recipe: Recipe): void {
  const unavailable = recipe.stages.filter((stage) => {
    try {
      getExecutor(stage.executor.kind);
      return false;
    } catch (error) {
      if (error instanceof LoopError && error.code === 'E_EXECUTOR_UNAVAILABLE') return true;
      throw error;
    }
  });
  if (unavailable.length === 0) return;
  const fixes = new Set<string>();
  for (const stage of unavailable) {
    const at = isRlStage(stage.name) ? `rl.stages.${stage.name}` : `stages.${stage.name}`;
    fixes.add(isDeepStrictEqual(stage.executor, recipe.executor) ? '--set executor.kind=local' : `--set ${at}.executor.kind=local`);
  }
  const kinds = [...new Set(unavailable.map((s) => s.executor.kind))].join(' and ');
  throw new LoopError(
    'E_EXECUTOR_UNAVAILABLE',
    `stages ${unavailable.map((s) => s.name).join(', ')} run on ${kinds}, which this version of loop cannot run yet; ` +
      `to run them on this machine, add ${[...fixes].join(' ')}`,
  );
}
