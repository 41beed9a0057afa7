import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';
import { RecipeError } from '../../src/recipe/recipe-error.ts';
import { checkExecutorsAvailable } from '../../src/executors/check-executors.ts';

const QWEN = 'recipes/qwen2.5-math.yaml';

describe('checkExecutorsAvailable', () => {
  it('names every stage on an executor this version cannot run, with the overrides that move them here', () => {
    expect(() => checkExecutorsAvailable(loadRecipe(QWEN))).toThrow(
      'stages sample_rm, grade, train_rm, sample_sft, score, select, train_sft, eval, rl_sample, rl_grade, rl_filter, rl_train, rl_eval run on slurm, ' +
        'which this version of loop cannot run yet; to run them on this machine, add --set executor.kind=local --set stages.grade.executor.kind=local ' +
        '--set stages.select.executor.kind=local --set rl.stages.rl_grade.executor.kind=local --set rl.stages.rl_filter.executor.kind=local',
    );
  });

  it('accepts the recipe once those overrides are applied: switching a kind drops the old kind\'s options', () => {
    const recipe = loadRecipe(QWEN, {
      sets: ['executor.kind=local', 'stages.grade.executor.kind=local', 'stages.select.executor.kind=local',
        'rl.stages.rl_grade.executor.kind=local', 'rl.stages.rl_filter.executor.kind=local'],
    });
    expect(() => checkExecutorsAvailable(recipe)).not.toThrow();
    expect(recipe.stages.every((s) => s.executor.kind === 'local')).toBe(true);
  });

  it('an override that removes an anchor still used by aliases is a recipe error, not a crash', () => {
    try {
      loadRecipe(QWEN, { sets: ['executor={kind: local}'] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RecipeError);
      expect((error as Error).message).toMatch(/Unresolved alias .*account; define each anchor \(&name\) before its aliases \(\*name\)$/);
    }
  });
});
