import { describe, expect, it } from 'vitest';
import { loadRecipeSource } from '../../src/recipe/load-recipe.ts';
import { RecipeError } from '../../src/recipe/recipe-error.ts';
import { describePlan } from '../../src/recipe/describe-plan.ts';
import { MINIMAL_RECIPE } from '../helpers/minimal-recipe.ts';

// The optional rl: section: validated like the loop's stages, placed after them, switchable with rl.enabled.
const RL = `rl:
  stages:
    rl_sample:
      command: [python, sample.py, "{{ train_sft.model }}"]
      outputs: { samples: s.jsonl }
    rl_filter:
      command: [python, filter.py, "{{ rl_sample.samples }}"]
      outputs: { queries: q.jsonl }
    rl_train:
      command: [python, grpo.py, "{{ train_sft.model }}", "{{ train_rm.model }}", "{{ rl_filter.queries }}"]
      outputs: { model: model }
    rl_eval:
      command: [python, eval.py, "{{ rl_train.model }}"]
`;

const load = (source: string, sets: string[] = []) => loadRecipeSource(source, 'r.yaml', '/tmp/r.yaml', { sets });
const errors = (source: string, sets: string[] = []) => {
  try {
    load(source, sets);
  } catch (error) {
    if (error instanceof RecipeError) return error.message.split('\n');
    throw error;
  }
  return [];
};

describe('the rl: section', () => {
  it('adds the RL stages after the loop stages, and plan shows them as their own phase', () => {
    const recipe = load(MINIMAL_RECIPE + RL);
    expect(recipe.stages.map((s) => s.name).slice(-4)).toEqual(['rl_sample', 'rl_filter', 'rl_train', 'rl_eval']);
    expect(recipe.rl).toEqual({ enabled: true });
    const plan = describePlan(recipe);
    expect(plan.rl).toEqual(['rl_sample', 'rl_filter', 'rl_train', 'rl_eval']);
    expect(plan.iteration).not.toContain('rl_sample');
    expect(plan.stages.find((s) => s.name === 'rl_train')!.runs).toBe('RL phase, once after the loop');
  });

  it('rl.enabled: false leaves the stages out; --set rl.enabled=true brings them back', () => {
    const off = MINIMAL_RECIPE + RL.replace('rl:\n', 'rl:\n  enabled: false\n');
    expect(load(off).stages.some((s) => s.name.startsWith('rl_'))).toBe(false);
    expect(describePlan(load(off)).rlDisabled).toBe(true);
    expect(load(off, ['rl.enabled=true']).stages.some((s) => s.name === 'rl_train')).toBe(true);
  });

  it('checks RL placeholders: a later RL output, and a loop stage reading an RL output, are errors with a line', () => {
    const early =
      MINIMAL_RECIPE + RL.replace('[python, sample.py, "{{ train_sft.model }}"]', '[python, sample.py, "{{ rl_train.model }}"]');
    expect(errors(early).join('\n')).toMatch(
      new RegExp(
        String.raw`r\.yaml:\d+:\d+: rl\.stages\.rl_sample\.command\[2\]: \{\{ rl_train\.model \}\}: ` +
          String.raw`rl_train\.model does not exist yet when rl_sample first runs \(the RL phase\)`,
      ),
    );
    const loopReadsRl = (MINIMAL_RECIPE + RL).replace(
      '[python, eval.py, "{{ train_sft.model }}"]',
      '[python, eval.py, "{{ rl_train.model }}"]',
    );
    expect(errors(loopReadsRl).join('\n')).toMatch(
      /stages\.eval\.command\[2\]: \{\{ rl_train\.model \}\}: rl_train\.model does not exist yet when eval first runs/,
    );
  });

  it('refuses a missing required RL stage, an unknown one, and a stop rule on an RL metric', () => {
    expect(errors(MINIMAL_RECIPE + RL.replace(/ {4}rl_eval:\n.*\n/, '')).join('\n')).toMatch(/rl\.stages.*rl_eval/);
    expect(errors(MINIMAL_RECIPE + RL + '    rl_bogus:\n      command: [x]\n').join('\n')).toMatch(/rl_bogus/);
    const stopOnRl = (MINIMAL_RECIPE + RL).replace('metric: eval.accuracy >= 0.9', 'metric: rl_eval.accuracy >= 0.9');
    expect(errors(stopOnRl).join('\n')).toMatch(/"rl_eval\.accuracy" is an RL-phase metric, which exists only after the loop has stopped/);
    expect(() => load(MINIMAL_RECIPE + RL + 'metrics:\n  main: rl_eval.accuracy\n')).not.toThrow();
  });
  it('RL stages may be built-in kinds: rl_grade and rl_filter expand to loop data commands; a bad option points into rl.stages', () => {
    const builtin = RL.replace(
      / {4}rl_filter:\n.*\n.*\n/,
      '    rl_grade:\n      kind: grade\n      with: { queries: q.jsonl, samples: "{{ rl_sample.samples }}" }\n' +
        '    rl_filter:\n      kind: rl-filter\n      with: { samples: "{{ rl_grade.graded }}", min: 2, max: 5 }\n',
    ).replace('{{ rl_filter.queries }}', '{{ rl_filter.data }}');
    const recipe = load(MINIMAL_RECIPE + builtin);
    const filter = recipe.stages.find((s) => s.name === 'rl_filter')!;
    expect(filter.command.slice(2)).toEqual([
      'data',
      'rl-filter',
      '--samples',
      '{{ rl_grade.graded }}',
      '--min',
      '2',
      '--max',
      '5',
      '--out',
      '{{ out }}/rl-queries.jsonl',
      '--metrics',
      '{{ out }}/metrics.json',
    ]);
    expect(filter.outputs).toEqual({ data: 'rl-queries.jsonl' });
    expect(recipe.stages.find((s) => s.name === 'rl_grade')!.command.slice(2, 4)).toEqual(['data', 'grade']);
    expect(errors(MINIMAL_RECIPE + builtin.replace('min: 2', 'minimum: 2')).join('\n')).toMatch(
      /r\.yaml:\d+:\d+: rl\.stages\.rl_filter\.with\.minimum: kind rl-filter has no option "minimum"/,
    );
    expect(errors(MINIMAL_RECIPE + builtin.replace('{{ rl_grade.graded }}', '{{ rl_grade.grades }}')).join('\n')).toMatch(
      /r\.yaml:\d+:\d+: rl\.stages\.rl_filter\.with\.samples: \{\{ rl_grade\.grades \}\}: stage rl_grade declares no output "grades"/,
    );
  });
});
