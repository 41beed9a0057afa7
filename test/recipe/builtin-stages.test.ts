import { describe, expect, it } from 'vitest';
import { loadRecipeSource } from '../../src/recipe/load-recipe.ts';
import { RecipeError } from '../../src/recipe/recipe-error.ts';
import { BUILTIN_KINDS } from '../../src/recipe/builtin-kinds.ts';
import { MINIMAL_RECIPE } from '../helpers/minimal-recipe.ts';
import { runCli } from '../helpers/run-cli.ts';

const SELECT_LINES = / {2}select:\n {4}command: .*\n {4}outputs: .*\n/;

// The minimal recipe with its select stage replaced by the given YAML lines.
function withSelect(...lines: string[]): string {
  const source = MINIMAL_RECIPE.replace(SELECT_LINES, `  select:\n${lines.map((l) => `    ${l}`).join('\n')}\n`).replace(
    'inputs:\n',
    'inputs:\n  queries: data/q.jsonl\n',
  );
  expect(source).not.toBe(MINIMAL_RECIPE);
  return source;
}

function errorsOf(source: string): string[] {
  try {
    loadRecipeSource(source, 'r.yaml', '/tmp/r.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(RecipeError);
    return (error as RecipeError).message.split('\n');
  }
  throw new Error('expected a RecipeError');
}

describe('built-in stage kinds', () => {
  it("expand kind + with into the loop data command, with the kind's outputs and metrics", () => {
    const recipe = loadRecipeSource(
      withSelect(
        'kind: select',
        'with:',
        '  queries: ["{{ inputs.queries }}", extra.jsonl]',
        '  samples: "{{ sample_sft.samples }}"',
        '  top_k: "{{ vars.k }}"',
        '  vote_distinct: true',
        '  skip_bad: false',
      ),
      'r.yaml',
      '/tmp/r.yaml',
    );
    const select = recipe.stages.find((s) => s.name === 'select')!;
    expect(select.command.slice(0, 4)).toEqual([process.execPath, expect.stringMatching(/bin\/loop\.mjs$/), 'data', 'select']);
    expect(select.command.slice(4)).toEqual([
      '--queries',
      '{{ inputs.queries }}',
      '--queries',
      'extra.jsonl',
      '--samples',
      '{{ sample_sft.samples }}',
      '--top-k',
      '{{ vars.k }}',
      '--vote-distinct',
      '--out',
      '{{ out }}/selected.jsonl',
      '--votes',
      '{{ out }}/votes.jsonl',
      '--metrics',
      '{{ out }}/metrics.json',
    ]);
    expect(select.outputs).toEqual({ data: 'selected.jsonl', votes: 'votes.jsonl' });
  });

  it('every kind declares at least one output and names only snake_case options', () => {
    for (const [name, kind] of Object.entries(BUILTIN_KINDS)) {
      expect(Object.keys(kind.outputs).length, name).toBeGreaterThan(0);
      for (const option of kind.options) expect(option, name).toMatch(/^[a-z][a-z0-9_]*$/);
      for (const option of [...kind.required, ...kind.lists]) expect(kind.options, name).toContain(option);
    }
  });

  it.each([
    [
      'an unknown option, with a suggestion',
      ['kind: select', 'with: { queries: a, samples: b, topk: 2 }'],
      new RegExp(
        String.raw`^r\.yaml:\d+:\d+: stages\.select\.with\.topk: kind select has no option "topk"\. ` +
          String.raw`Did you mean "top_k"\? Options: queries, samples, top_k`,
      ),
    ],
    [
      'a missing required option',
      ['kind: select', 'with: { queries: a }'],
      /stages\.select\.with: kind select needs the option "samples"; add "samples:" under with:/,
    ],
    [
      'outputs beside a kind',
      ['kind: select', 'with: { queries: a, samples: b }', 'outputs: { data: x.jsonl }'],
      /stages\.select\.outputs: kind select declares its outputs itself \(data: selected\.jsonl, votes: votes\.jsonl\); remove "outputs"/,
    ],
    ['both command and kind', ['kind: select', 'command: [x]'], /stages\.select: needs either "command" \(your program\) or "kind"/],
    ['neither command nor kind', ['outputs: { data: x.jsonl }'], /stages\.select: needs either "command" \(your program\) or "kind"/],
    [
      'an unknown kind',
      ['kind: selekt', 'with: { samples: b }'],
      /stages\.select\.kind: must be .*"select".* got "selekt"\. Did you mean "select"\?/,
    ],
    [
      'a list for a single-valued option',
      ['kind: select', 'with: { queries: a, samples: [b, c] }'],
      /stages\.select\.with\.samples: takes one value, not a list/,
    ],
    ['with but no kind', ['command: [x]', 'with: { a: 1 }'], /"with" holds the options of a built-in "kind"/],
  ])('%s is a recipe error at its line', (_what, lines, message) => {
    const errors = errorsOf(withSelect(...lines));
    expect(
      errors.some((line) => message.test(line)),
      errors.join('\n'),
    ).toBe(true);
  });

  it('a bad placeholder inside with points at the option, not at the generated command', () => {
    const errors = errorsOf(
      withSelect('kind: select', 'with:', '  queries: "{{ inputs.queries }}"', '  samples: "{{ sample_sft.sample }}"'),
    );
    expect(errors.join('\n')).toMatch(
      /^r\.yaml:26:17: stages\.select\.with\.samples: \{\{ sample_sft\.sample \}\}: stage sample_sft declares no output "sample"/m,
    );
  });
});

describe('the built-in kinds and the commands they run', () => {
  // A kind's options become the command's flags (top_k → --top-k): each must be one the command really takes.
  it.each(Object.keys(BUILTIN_KINDS))('every option and output flag of %s is a flag of `loop data` with that name', (kind) => {
    const help = runCli(['data', kind, '--help'], { cwd: process.cwd() });
    expect(help.code).toBe(0);
    const spec = BUILTIN_KINDS[kind]!;
    const flags = [...spec.options.map((o) => `--${o.replace(/_/g, '-')}`), ...Object.values(spec.outputs).map((o) => o.flag)];
    if (spec.metrics) flags.push('--metrics');
    for (const flag of flags) expect(help.stdout, `${kind} ${flag}`).toMatch(new RegExp(`^\\s+${flag}(?=[ ,]|$)`, 'm'));
  });
});
