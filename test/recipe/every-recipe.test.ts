import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';

// Every shipped recipe validates as `loop plan` would validate it, with its RL phase on where it has one, and every
// script its commands name beside the recipe ({{ recipe_dir }}/…) exists. New recipes are picked up by themselves.
const folders = ['recipes', 'recipes/bench'];
const recipes = folders.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(dir, f)),
);

describe('shipped recipes', () => {
  it('are found, the framework variants among them', () => {
    expect(recipes).toEqual(
      expect.arrayContaining([
        'recipes/quickstart.yaml',
        'recipes/qwen2.5-math.yaml',
        'recipes/qwen2.5-math-trl.yaml',
        'recipes/qwen2.5-math-openrlhf.yaml',
        'recipes/qwen2.5-math-verl.yaml',
        'recipes/tiny-torch.yaml',
      ]),
    );
  });

  it.each(recipes)('%s is valid (its RL phase on), and the scripts it names exist', (file) => {
    const hasRl = /^rl:/m.test(readFileSync(file, 'utf8'));
    const recipe = loadRecipe(file, { sets: hasRl ? ['rl.enabled=true'] : [] });
    expect(recipe.stages.length).toBeGreaterThanOrEqual(6);
    if (hasRl) expect(recipe.stages.map((s) => s.name)).toContain('rl_train');
    for (const stage of recipe.stages) {
      for (const arg of stage.command) {
        const script = /^\{\{ recipe_dir \}\}\/(\S+\.(?:py|mjs|sh|json))$/.exec(arg)?.[1];
        if (script) expect(existsSync(path.join(recipe.recipeDir, script)), `${file} ${stage.name}: ${script}`).toBe(true);
      }
    }
  });
});
