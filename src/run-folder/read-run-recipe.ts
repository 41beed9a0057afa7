import { readFileSync } from 'node:fs';
import { LoopError } from '../errors/loop-error.ts';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from './run-paths.ts';

// The normalized recipe a run was started (or last edited) with.
export function readRunRecipe(paths: RunPaths): Recipe {
  try {
    return JSON.parse(readFileSync(paths.recipe, 'utf8')) as Recipe;
  } catch (error) {
    throw new LoopError(
      'E_SNAPSHOT',
      `cannot read ${paths.recipe} (${(error as Error).message}); the run's recipe is needed to continue or report it`,
      { cause: error },
    );
  }
}
