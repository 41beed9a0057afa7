import { describe, expect, it } from 'vitest';
import { diffRecipes, type RecipeChange } from '../../src/recipe/diff-recipes.ts';
import { loadRecipeSource } from '../../src/recipe/load-recipe.ts';
import type { Recipe } from '../../src/recipe/types.ts';
import { MINIMAL_RECIPE } from '../helpers/minimal-recipe.ts';

// The minimal recipe with `--set` overrides, as if read from `file`.
function recipe(sets: string[] = [], file = '/tmp/x/r.yaml'): Recipe {
  return loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', file, { sets });
}

function withoutStage(r: Recipe, name: string): Recipe {
  return { ...r, stages: r.stages.filter((s) => s.name !== name) };
}

const SCORE_SET = 'stages.score.command=[python, score.py, "{{ sample_sft.samples }}"]';

interface Case {
  name: string;
  before: () => Recipe;
  after: () => Recipe;
  expected: RecipeChange[];
}

const cases: Case[] = [
  { name: 'unchanged recipe', before: () => recipe(), after: () => recipe(), expected: [] },
  {
    name: 'a var',
    before: () => recipe(),
    after: () => recipe(['vars.k=5']),
    expected: [{ path: 'vars.k', before: 2, after: 5 }],
  },
  {
    name: 'a var added',
    before: () => recipe(),
    after: () => recipe(['vars.top_k=8']),
    expected: [{ path: 'vars.top_k', before: undefined, after: 8 }],
  },
  {
    name: 'the stop rule, under its normalized key',
    before: () => recipe(),
    after: () => recipe(['until.max_iterations=7']),
    expected: [{ path: 'until.maxIterations', before: 3, after: 7 }],
  },
  {
    name: 'a retry policy, by stage name',
    before: () => recipe(),
    after: () => recipe(['stages.select.retry={attempts: 3}']),
    expected: [{ path: 'stages.select.retry.attempts', before: 1, after: 3 }],
  },
  {
    name: 'one command argument',
    before: () => recipe(),
    after: () => recipe(['stages.select.command.2=--top-k']),
    expected: [{ path: 'stages.select.command[2]', before: '--k', after: '--top-k' }],
  },
  {
    name: 'a longer command: each new index',
    before: () => recipe(),
    after: () => recipe(['stages.eval.command=[python, eval.py, "{{ train_sft.model }}", --n, "100"]']),
    expected: [
      { path: 'stages.eval.command[3]', before: undefined, after: '--n' },
      { path: 'stages.eval.command[4]', before: undefined, after: '100' },
    ],
  },
  {
    name: 'a shorter command: each lost index',
    before: () => recipe(),
    after: () => recipe(['stages.train_sft.command=[python, train.py, --data, "{{ select.data ?? inputs.sft }}"]']),
    expected: [
      { path: 'stages.train_sft.command[4]', before: '--out', after: undefined },
      { path: 'stages.train_sft.command[5]', before: '{{ out }}', after: undefined },
    ],
  },
  {
    name: 'env added, then changed (nested record)',
    before: () => recipe(['stages.eval.env={A: "1"}']),
    after: () => recipe(['stages.eval.env={A: "2", B: x}']),
    expected: [
      { path: 'stages.eval.env.A', before: '1', after: '2' },
      { path: 'stages.eval.env.B', before: undefined, after: 'x' },
    ],
  },
  {
    name: 'a resource limit, in seconds',
    before: () => recipe(),
    after: () => recipe(['stages.train_sft.resources={time: 2h}']),
    expected: [{ path: 'stages.train_sft.resources.timeSeconds', before: undefined, after: 7200 }],
  },
  {
    name: 'a declared output added',
    before: () => recipe(),
    after: () => recipe(['stages.train_rm.outputs={model: rm, log: log.txt}']),
    expected: [{ path: 'stages.train_rm.outputs.log', before: undefined, after: 'log.txt' }],
  },
];

describe('diffRecipes', () => {
  it.each(cases)('$name', ({ before, after, expected }) => {
    expect(diffRecipes(before(), after())).toEqual(expected);
  });

  it('reports an added stage whole at stages.NAME', () => {
    const changes = diffRecipes(recipe(), recipe([SCORE_SET]));
    expect(changes).toHaveLength(1);
    expect(changes[0]!.path).toBe('stages.score');
    expect(changes[0]!.before).toBeUndefined();
    expect(changes[0]!.after).toMatchObject({ name: 'score', command: ['python', 'score.py', '{{ sample_sft.samples }}'] });
  });

  it('reports a removed stage whole at stages.NAME', () => {
    const before = recipe();
    const changes = diffRecipes(before, withoutStage(before, 'eval'));
    expect(changes).toEqual([{ path: 'stages.eval', before: before.stages.find((s) => s.name === 'eval'), after: undefined }]);
  });

  it('matches stages by name, not by index', () => {
    // Adding score shifts select, train_sft and eval one index along; only score is reported.
    expect(diffRecipes(recipe([SCORE_SET]), recipe([SCORE_SET, 'vars.k=4'])).map((c) => c.path)).toEqual(['vars.k']);
    expect(diffRecipes(recipe(), recipe([SCORE_SET, 'stages.eval.retry={attempts: 2}'])).map((c) => c.path)).toEqual([
      'stages.score',
      'stages.eval.retry.attempts',
    ]);
  });

  it('reports a moved recipe file (and the inputs it resolves)', () => {
    expect(diffRecipes(recipe(), recipe([], '/tmp/y/r.yaml'))).toEqual([
      { path: 'recipeDir', before: '/tmp/x', after: '/tmp/y' },
      { path: 'recipeFile', before: '/tmp/x/r.yaml', after: '/tmp/y/r.yaml' },
      { path: 'inputs.sft', before: '/tmp/x/data/sft.jsonl', after: '/tmp/y/data/sft.jsonl' },
    ]);
  });

  it('reports the default executor and every stage executor it was folded into', () => {
    const paths = diffRecipes(recipe(), recipe(['executor={kind: ssh, host: gpu1}'])).map((c) => c.path);
    expect(paths.slice(0, 3)).toEqual(['executor.kind', 'executor.host', 'executor.setup']);
    expect(paths).toContain('stages.sample_rm.executor.kind');
    expect(paths).toContain('stages.eval.executor.host');
  });

  it('keeps the recipe key order and the evolve stage order', () => {
    const paths = diffRecipes(
      recipe(),
      recipe([
        'until.max_iterations=9',
        'stages.eval.retry={attempts: 2}',
        'stages.sample_rm.retry={attempts: 2}',
        'vars.k=1',
        'seed=4',
        'metrics={main: eval.loss, direction: {eval.loss: lower}}',
      ]),
    ).map((c) => c.path);
    expect(paths).toEqual([
      'seed',
      'vars.k',
      'stages.sample_rm.retry.attempts',
      'stages.eval.retry.attempts',
      'until.maxIterations',
      'mainMetric',
      'metrics[0]',
    ]);
  });

  it('quotes keys that are not plain names', () => {
    const before = recipe();
    const after: Recipe = { ...before, vars: { ...before.vars, 'a.b': 1 } };
    expect(diffRecipes(before, after)).toEqual([{ path: 'vars["a.b"]', before: undefined, after: 1 }]);
  });
});
