import type { NotifyEvent, Recipe } from '../../recipe/types.ts';

// Whether the recipe asks for notifications of this event.
export function notifyWanted(recipe: Recipe, event: NotifyEvent): boolean {
  return recipe.notify?.on.includes(event) ?? false;
}
