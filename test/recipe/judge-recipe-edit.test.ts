import { describe, expect, it } from 'vitest';
import { judgeRecipeEdit, type RunPosition } from '../../src/recipe/judge-recipe-edit.ts';
import { loadRecipeSource } from '../../src/recipe/load-recipe.ts';
import type { Recipe } from '../../src/recipe/types.ts';
import { MINIMAL_RECIPE } from '../helpers/minimal-recipe.ts';

// The minimal recipe with `--set` overrides, as if read from `file`.
function recipe(sets: string[] = [], file = '/tmp/x/r.yaml'): Recipe {
  return loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', file, { sets });
}

// Iteration 2, paused after sample_sft: select, train_sft and eval have not started.
const MID: RunPosition = { iteration: 2, started: ['sample_rm', 'train_rm', 'sample_sft'] };
// Iteration 2, failed in select.
const IN_SELECT: RunPosition = { iteration: 2, started: ['sample_rm', 'train_rm', 'sample_sft', 'select'] };
// Iteration 0: only train_sft and eval run there; train_sft finished.
const INITIAL: RunPosition = { iteration: 0, started: ['train_sft'] };

// `{{ vars.k }}` is used by select's command and, here, by eval's env.
const EVAL_ENV = 'stages.eval.env={K: "{{ vars.k }}", MODE: fast}';

interface Case {
  name: string;
  before?: string[];
  after: string[];
  position: RunPosition;
  expected: Array<{ path: string; verdict: 'accepted' | 'refused'; reason: string }>;
}

const cases: Case[] = [
  {
    name: 'the stop rule',
    after: ['until.max_iterations=9'],
    position: IN_SELECT,
    expected: [{ path: 'until.maxIterations', verdict: 'accepted', reason: 'the stop rule is read after each iteration' }],
  },
  {
    name: 'metrics and the main metric',
    after: ['metrics={main: eval.loss, direction: {eval.loss: lower}}'],
    position: IN_SELECT,
    expected: [
      { path: 'mainMetric', verdict: 'accepted', reason: expect.stringContaining('reporting') },
      { path: 'metrics[0]', verdict: 'accepted', reason: expect.stringContaining('reporting') },
    ],
  },
  {
    name: 'the name',
    after: ['name=other'],
    position: MID,
    expected: [{ path: 'name', verdict: 'refused', reason: 'changes the identity/seeds of finished work' }],
  },
  {
    name: 'the seed',
    after: ['seed=4'],
    position: INITIAL,
    expected: [{ path: 'seed', verdict: 'refused', reason: 'changes the identity/seeds of finished work' }],
  },
  {
    name: 'a stage not yet run',
    after: ['stages.select.retry={attempts: 3}'],
    position: MID,
    expected: [{ path: 'stages.select.retry.attempts', verdict: 'accepted', reason: 'select has not finished in iteration 2' }],
  },
  {
    name: 'a stage that already ran (it failed there)',
    after: ['stages.select.retry={attempts: 3}'],
    position: IN_SELECT,
    expected: [{ path: 'stages.select.retry.attempts', verdict: 'refused', reason: 'select already finished in iteration 2' }],
  },
  {
    name: 'a finished stage: command length change, per index',
    after: ['stages.sample_rm.command=[python, sample.py, "{{ train_sft.model }}", --n, "4"]'],
    position: MID,
    expected: [
      { path: 'stages.sample_rm.command[3]', verdict: 'refused', reason: 'sample_rm already finished in iteration 2' },
      { path: 'stages.sample_rm.command[4]', verdict: 'refused', reason: 'sample_rm already finished in iteration 2' },
    ],
  },
  {
    name: 'nested env of a stage not yet run',
    before: [EVAL_ENV],
    after: ['stages.eval.env={K: "{{ vars.k }}", MODE: slow}'],
    position: IN_SELECT,
    expected: [{ path: 'stages.eval.env.MODE', verdict: 'accepted', reason: 'eval has not finished in iteration 2' }],
  },
  {
    name: 'resources and outputs of a finished stage',
    after: ['stages.train_rm.resources={gpus: 2}', 'stages.train_rm.outputs={model: rm2}'],
    position: MID,
    expected: [
      { path: 'stages.train_rm.resources.gpus', verdict: 'refused', reason: 'train_rm already finished in iteration 2' },
      { path: 'stages.train_rm.outputs.model', verdict: 'refused', reason: 'train_rm already finished in iteration 2' },
    ],
  },
  {
    name: 'a stage added later in the iteration',
    after: ['stages.score.command=[python, score.py, "{{ sample_sft.samples }}"]'],
    position: MID,
    expected: [{ path: 'stages.score', verdict: 'accepted', reason: 'score has not finished in iteration 2' }],
  },
  {
    name: 'a stage added that iteration 0 does not run',
    after: ['stages.grade.command=[python, grade.py]'],
    position: INITIAL,
    expected: [{ path: 'stages.grade', verdict: 'accepted', reason: 'grade has not finished in iteration 0' }],
  },
  {
    name: 'a var used by stages not yet run (command and env)',
    before: [EVAL_ENV],
    after: [EVAL_ENV, 'vars.k=5'],
    position: MID,
    expected: [{ path: 'vars.k', verdict: 'accepted', reason: 'affects select and eval, not finished in iteration 2' }],
  },
  {
    name: 'a var used by a stage that ran',
    before: [EVAL_ENV],
    after: [EVAL_ENV, 'vars.k=5'],
    position: IN_SELECT,
    expected: [{ path: 'vars.k', verdict: 'refused', reason: 'used by select, which already finished in iteration 2' }],
  },
  {
    name: 'a var used only in a finished stage env',
    before: ['stages.sample_rm.env={T: "{{ vars.k }}"}', 'stages.select.command.3="2"'],
    after: ['stages.sample_rm.env={T: "{{ vars.k }}"}', 'stages.select.command.3="2"', 'vars.k=9'],
    position: MID,
    expected: [{ path: 'vars.k', verdict: 'refused', reason: 'used by sample_rm, which already finished in iteration 2' }],
  },
  {
    name: 'a var used by no stage',
    after: ['vars.top_k=8'],
    position: IN_SELECT,
    expected: [{ path: 'vars.top_k', verdict: 'accepted', reason: 'used by no stage' }],
  },
  {
    name: 'an input named in a later alternative, not yet run',
    after: ['inputs.sft=data/other.jsonl'],
    position: MID,
    expected: [{ path: 'inputs.sft', verdict: 'accepted', reason: 'affects train_sft, not finished in iteration 2' }],
  },
  {
    name: 'an input named in a later alternative, already run',
    after: ['inputs.sft=data/other.jsonl'],
    position: INITIAL,
    expected: [{ path: 'inputs.sft', verdict: 'refused', reason: 'used by train_sft, which already finished in iteration 0' }],
  },
];

describe('judgeRecipeEdit', () => {
  it.each(cases)('$name', ({ before = [], after, position, expected }) => {
    const { changes, refused } = judgeRecipeEdit(recipe(before), recipe(after), position);
    expect(changes).toEqual(expected.map((e) => expect.objectContaining(e)));
    expect(refused).toEqual(changes.filter((c) => c.verdict === 'refused'));
  });

  it('finds nothing in an unchanged recipe', () => {
    expect(judgeRecipeEdit(recipe(), recipe(), IN_SELECT)).toEqual({ changes: [], refused: [] });
  });

  it('carries both values on each classified change', () => {
    const { changes } = judgeRecipeEdit(recipe(), recipe(['vars.k=5']), MID);
    expect(changes).toEqual([
      { path: 'vars.k', before: 2, after: 5, verdict: 'accepted', reason: 'affects select, not finished in iteration 2' },
    ]);
  });

  it('refuses a removed stage that already ran, accepts one that has not', () => {
    const before = recipe(['stages.score.command=[python, score.py]', 'stages.grade.command=[python, grade.py]']);
    const after = { ...before, stages: before.stages.filter((s) => s.name !== 'score' && s.name !== 'grade') };
    const position: RunPosition = { iteration: 1, started: ['sample_rm', 'grade'] };
    const { changes, refused } = judgeRecipeEdit(before, after, position);
    expect(changes.map((c) => [c.path, c.verdict, c.reason])).toEqual([
      ['stages.grade', 'refused', 'grade already finished in iteration 1'],
      ['stages.score', 'accepted', 'score has not finished in iteration 1'],
    ]);
    expect(refused.map((c) => c.path)).toEqual(['stages.grade']);
  });

  it('refuses a recipe moved to another folder (scripts would resolve elsewhere); the inputs follow the input rule', () => {
    const { changes } = judgeRecipeEdit(recipe(), recipe([], '/tmp/y/r.yaml'), INITIAL);
    expect(changes.map((c) => [c.path, c.verdict])).toEqual([
      ['recipeDir', 'refused'],
      ['recipeFile', 'accepted'],
      ['inputs.sft', 'refused'],
    ]);
  });

  it('accepts the default executor itself, judges each stage executor by the stage rule', () => {
    const { changes, refused } = judgeRecipeEdit(recipe(), recipe(['executor={kind: ssh, host: gpu1}']), MID);
    const top = changes.filter((c) => c.path.startsWith('executor.'));
    expect(top.length).toBeGreaterThan(0);
    expect(top.every((c) => c.verdict === 'accepted' && c.reason === "applies through each stage's executor")).toBe(true);
    const refusedStages = new Set(refused.map((c) => c.path.split('.')[1]));
    expect([...refusedStages]).toEqual(['sample_rm', 'train_rm', 'sample_sft']);
    expect(changes.find((c) => c.path === 'stages.select.executor.kind')).toMatchObject({ verdict: 'accepted' });
  });

  it('mixes accepted and refused changes in one edit, in recipe order', () => {
    const { changes, refused } = judgeRecipeEdit(
      recipe(),
      recipe(['until.max_iterations=5', 'stages.eval.retry={attempts: 2}', 'stages.train_rm.command.2=x', 'vars.k=7', 'seed=11']),
      MID,
    );
    expect(changes.map((c) => [c.path, c.verdict])).toEqual([
      ['seed', 'refused'],
      ['vars.k', 'accepted'],
      ['stages.train_rm.command[2]', 'refused'],
      ['stages.eval.retry.attempts', 'accepted'],
      ['until.maxIterations', 'accepted'],
    ]);
    expect(refused.map((c) => c.path)).toEqual(['seed', 'stages.train_rm.command[2]']);
  });
});
