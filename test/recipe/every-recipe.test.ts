import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';

// Every shipped recipe validates as `loop plan` would validate it.
const folders = ['recipes', 'recipes/bench'];
const recipes = folders.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(dir, f)));

describe('shipped recipes', () => {
  it('are found', () => expect(recipes.length).toBeGreaterThanOrEqual(3));
  it.each(recipes)('%s is valid', (file) => {
    const recipe = loadRecipe(file);
    expect(recipe.stages.length).toBeGreaterThanOrEqual(6);
  });
});
