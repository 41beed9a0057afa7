import type { Recipe } from './types.ts';

// Whether the stop rule's plateau metric improves upward (metrics.direction; higher unless declared lower).
export function plateauHigherIsBetter(recipe: Recipe): boolean {
  const metric = recipe.until.plateau?.metric;
  return recipe.metrics.find((m) => m.name === metric)?.higherIsBetter ?? true;
}
