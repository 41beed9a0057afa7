import { diffRecipes } from '../recipe/diff-recipes.ts';
import type { Recipe } from '../recipe/types.ts';

// One recipe key that differs between the two sides; null where a side lacks the key.
export interface ConfigChange {
  path: string;
  left: unknown;
  right: unknown;
}

// Where each recipe lives on disk says nothing about how the runs differ.
const SKIPPED = new Set(['recipeFile', 'recipeDir']);

// The keys whose values differ between two runs' normalized recipes.
export function diffConfigs(left: Recipe, right: Recipe): ConfigChange[] {
  return diffRecipes(left, right)
    .filter((c) => !SKIPPED.has(c.path.split(/[.[]/)[0]!))
    .map((c) => ({ path: c.path, left: c.before ?? null, right: c.after ?? null }));
}
