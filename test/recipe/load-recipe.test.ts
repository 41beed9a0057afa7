import { describe, expect, it } from 'vitest';
import { loadRecipeSource } from '../../src/recipe/load-recipe.ts';
import { RecipeError } from '../../src/recipe/recipe-error.ts';
import { MINIMAL_RECIPE, withLine } from '../helpers/minimal-recipe.ts';

function errorsOf(source: string, sets: string[] = []): string[] {
  try {
    loadRecipeSource(source, 'r.yaml', '/tmp/r.yaml', { sets });
  } catch (error) {
    expect(error).toBeInstanceOf(RecipeError);
    return (error as RecipeError).message.split('\n');
  }
  throw new Error('expected a RecipeError');
}

describe('loadRecipe: a valid recipe', () => {
  it('normalizes defaults, paths and stage order', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/x/r.yaml');
    expect(recipe.name).toBe('mini');
    expect(recipe.inputs.sft).toBe('/tmp/x/data/sft.jsonl');
    expect(recipe.stages.map((s) => s.name)).toEqual(['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft', 'eval']);
    expect(recipe.stages[0]!.executor).toEqual({ kind: 'local' });
    expect(recipe.stages[0]!.retry).toEqual({ attempts: 1, backoffSeconds: 0 });
    expect(recipe.until).toMatchObject({ maxIterations: 3, metric: 'eval.accuracy >= 0.9' });
    expect(recipe.mainMetric).toBe('eval.accuracy');
  });

  it('applies --set overrides with YAML-typed values', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/r.yaml', {
      sets: ['until.max_iterations=7', 'vars.k=5', 'stages.eval.resources.time=2h', 'stages.eval.command=[a, "b c"]'],
    });
    expect(recipe.until.maxIterations).toBe(7);
    expect(recipe.vars.k).toBe(5);
    const evalStage = recipe.stages.find((s) => s.name === 'eval')!;
    expect(evalStage.resources.timeSeconds).toBe(7200);
    expect(evalStage.command).toEqual(['a', 'b c']);
  });

  it('keeps braces in a variable that name none of its placeholders, such as a prompt template', () => {
    const recipe = loadRecipeSource(withLine(5, '  prompt: "Q: {{ question }} A: {{ answer.text }}"', true), 'r.yaml', '/tmp/r.yaml');
    expect(recipe.vars.prompt).toBe('Q: {{ question }} A: {{ answer.text }}');
  });

  it('lets a stage override the default executor', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/r.yaml', {
      sets: ['executor.kind=slurm', 'executor.partition=gpu', 'stages.eval.executor.kind=local'],
    });
    expect(recipe.stages.find((s) => s.name === 'train_sft')!.executor).toMatchObject({ kind: 'slurm', partition: 'gpu' });
    expect(recipe.stages.find((s) => s.name === 'eval')!.executor).toEqual({ kind: 'local' });
  });

  it('reads a Ray executor, with a stage overriding its resources', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/r.yaml', {
      sets: [
        'executor.kind=ray',
        'executor.address=http://head:8265',
        'executor.runtime_env={env_vars: {A: b}, pip: [numpy]}',
        'executor.metadata={team: rl}',
        'stages.eval.executor={kind: ray, num_gpus: 0.5, num_cpus: 2, entrypoint_resources: {accel: 1}}',
      ],
    });
    expect(recipe.stages.find((s) => s.name === 'train_sft')!.executor).toEqual({
      kind: 'ray',
      address: 'http://head:8265',
      runtimeEnv: { env_vars: { A: 'b' }, pip: ['numpy'] },
      numCpus: undefined,
      numGpus: undefined,
      entrypointResources: undefined,
      metadata: { team: 'rl' },
      headHost: undefined,
      headOptions: [],
      workdir: undefined,
      sharedFilesystem: true,
    });
    expect(recipe.stages.find((s) => s.name === 'eval')!.executor).toMatchObject({
      kind: 'ray',
      numGpus: 0.5,
      numCpus: 2,
      entrypointResources: { accel: 1 },
      metadata: {},
    });
  });

  it('reads a Ray cluster without a shared filesystem: the head node files are copied through, and workdir there', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/r.yaml', {
      sets: [
        'executor.kind=ray',
        'executor.shared_filesystem=false',
        'executor.head_host=ubuntu@head:2222',
        'executor.head_options=[IdentityFile=/k]',
        'executor.workdir=/mnt/cluster/loop',
      ],
    });
    expect(recipe.executor).toMatchObject({
      kind: 'ray',
      sharedFilesystem: false,
      headHost: 'ubuntu@head:2222',
      headOptions: ['IdentityFile=/k'],
      workdir: '/mnt/cluster/loop',
    });
  });
});

// Each bad recipe gives exactly these lines: FILE:LINE:COL: key.path: what is wrong and how to fix it.
const cases: Array<{ what: string; source: string; sets?: string[]; lines: string[] }> = [
  {
    what: 'a misspelt loop kind',
    source: withLine(2, 'loop: evolv'),
    lines: ['r.yaml:2:7: loop: must be "evolve", got "evolv". Did you mean "evolve"?'],
  },
  {
    what: 'an unknown top-level key',
    source: withLine(3, 'seeds: 3'),
    lines: [
      'r.yaml:3:1: seeds: unknown key "seeds". Did you mean "seed"? Allowed here: name, loop, seed, vars, inputs, executor, stages, rl, ' +
        'until, metrics, store, tracking, notify',
    ],
  },
  {
    what: 'a seed that is not a whole number',
    source: withLine(3, 'seed: 1.5'),
    lines: ['r.yaml:3:7: seed: expected a whole number, got 1.5'],
  },
  {
    what: 'a missing required stage',
    source: MINIMAL_RECIPE.replace(/ {2}eval:\n.*\n/, ''),
    lines: ['r.yaml:8:1: stages.eval: is required; add "eval:" (see docs/reference/recipe.md)'],
  },
  {
    what: 'an unknown stage',
    source: withLine(8, '  evaluate:\n    command: [x]', true),
    lines: [
      'r.yaml:9:3: stages.evaluate: unknown key "evaluate". Allowed here: sample_rm, grade, train_rm, sample_sft, score, select, ' +
        'train_sft, eval',
    ],
  },
  {
    what: 'an unknown key in a stage',
    source: withLine(11, '    ouputs: { model: model }'),
    lines: [
      'r.yaml:11:5: stages.train_sft.ouputs: unknown key "ouputs". Did you mean "outputs"? Allowed here: command, kind, with, executor, ' +
        'resources, env, outputs, retry, shards, parallel_shards',
    ],
  },
  {
    what: 'an empty command',
    source: withLine(25, '    command: []'),
    lines: ['r.yaml:25:14: stages.eval.command: must list at least 1 element(s)'],
  },
  {
    what: 'a command that is a string',
    source: withLine(25, '    command: python eval.py'),
    lines: ['r.yaml:25:14: stages.eval.command: expected a list ([a, b] or "- a" lines), got "python eval.py"'],
  },
  {
    what: 'an unknown executor kind',
    source: withLine(7, 'executor: { kind: slurmm }', true),
    lines: ['r.yaml:8:19: executor.kind: must be one of local, slurm, ssh, ray, got "slurmm". Did you mean "slurm"?'],
  },
  {
    what: 'a Ray address that is not the dashboard, a negative GPU count',
    source: withLine(7, 'executor: { kind: ray, address: "ray://head:10001", num_gpus: -1 }', true),
    lines: [
      'r.yaml:8:33: executor.address: "ray://head:10001" is not the Ray dashboard\'s http(s) URL ' +
        '(the Jobs API is on the dashboard port), e.g. "http://127.0.0.1:8265"',
      'r.yaml:8:63: executor.num_gpus: must be at least 0, got -1',
    ],
  },
  {
    what: 'Ray without a shared filesystem, and neither head_host nor workdir',
    source: withLine(7, 'executor: { kind: ray, shared_filesystem: false }', true),
    lines: [
      'r.yaml:8:43: executor.shared_filesystem: Ray without a shared filesystem needs executor.head_host, the node the files are ' +
        'copied to over ssh (the head node, e.g. head_host: "ubuntu@ray-head")',
      'r.yaml:8:43: executor.shared_filesystem: Ray without a shared filesystem needs executor.workdir, an absolute folder (not /) on ' +
        'head_host that the jobs see at the same path, e.g. workdir: /mnt/cluster/loop',
    ],
  },
  {
    what: 'Ray without a shared filesystem, and a workdir that is not absolute',
    source: withLine(7, 'executor: { kind: ray, shared_filesystem: false, head_host: head, workdir: loop }', true),
    lines: [
      'r.yaml:8:76: executor.workdir: Ray without a shared filesystem needs executor.workdir, an absolute folder (not /) on ' +
        'head_host that the jobs see at the same path, e.g. workdir: /mnt/cluster/loop',
    ],
  },
  {
    what: "a stage's Ray copy options with a shared filesystem",
    source: withLine(25, '    executor: { kind: ray, head_host: head, workdir: /scratch/loop }', true),
    lines: [
      'r.yaml:26:28: stages.eval.executor.head_host: is only used with shared_filesystem: false (files copied to the cluster ' +
        "through head_host); remove it, or add shared_filesystem: false to this executor if the cluster does not see this machine's files",
      'r.yaml:26:45: stages.eval.executor.workdir: is only used with shared_filesystem: false (files copied to the cluster ' +
        "through head_host); remove it, or add shared_filesystem: false to this executor if the cluster does not see this machine's files",
    ],
  },
  {
    what: "a stage's Ray resources and metadata of the wrong type",
    source: withLine(25, '    executor: { kind: ray, entrypoint_resources: { accel: big }, metadata: { team: 3 } }', true),
    lines: [
      'r.yaml:26:59: stages.eval.executor.entrypoint_resources.accel: expected a number, got "big"',
      'r.yaml:26:84: stages.eval.executor.metadata.team: expected a string, got 3',
    ],
  },
  {
    what: 'a bad duration',
    source: withLine(25, '    resources: { time: 3 days }', true),
    lines: [
      'r.yaml:26:24: stages.eval.resources.time: cannot read "3 days" as a duration; write a number of seconds or a string such as 90s, ' +
        '15m, 4h, 2d, 1h30m, 01:30:00 (hours:minutes:seconds) or 2-00:00:00 (Slurm days-hours:minutes:seconds)',
    ],
  },
  {
    what: 'a placeholder naming an unknown variable',
    source: withLine(22, '    command: [python, select.py, --k, "{{ vars.kk }}", "{{ sample_sft.samples }}", "{{ train_rm.model }}"]'),
    lines: [
      'r.yaml:22:40: stages.select.command[3]: {{ vars.kk }}: no variable "kk" under vars. Did you mean "k"? Define it under "vars:"',
    ],
  },
  {
    what: 'a placeholder naming an undeclared output',
    source: withLine(13, '    command: [python, sample.py, "{{ train_sft.weights }}"]'),
    lines: [
      'r.yaml:13:35: stages.sample_rm.command[2]: {{ train_sft.weights }}: stage train_sft declares no output "weights". Declare it ' +
        'under stages.train_sft.outputs (declared: model)',
    ],
  },
  {
    what: 'a placeholder with no value in iteration 0',
    source: withLine(10, '    command: [python, train.py, --data, "{{ select.data }}", --out, "{{ out }}"]'),
    lines: [
      'r.yaml:10:42: stages.train_sft.command[3]: {{ select.data }}: select.data does not exist yet when train_sft first runs ' +
        '(iteration 0); add a fallback that always exists, e.g. {{ select.data ?? inputs.NAME }}',
    ],
  },
  {
    what: 'an unclosed placeholder',
    source: withLine(25, '    command: [python, "--x={{ out"]'),
    lines: ['r.yaml:25:28: stages.eval.command[1]: "{{" is not closed: end the placeholder with "}}"'],
  },
  {
    what: 'a stop condition with a syntax error',
    source: withLine(28, '  metric: eval.accuracy >='),
    lines: ['r.yaml:28:27: until.metric: expected a number or metric name after ">=", found end of input'],
  },
  {
    what: 'a stop condition naming an unknown stage',
    source: withLine(28, '  metric: evl.accuracy >= 0.9'),
    lines: [
      'r.yaml:28:11: until.metric: "evl.accuracy" names stage "evl", which this recipe does not define. Did you mean "eval"? Stages: ' +
        'sample_rm, train_rm, sample_sft, select, train_sft, eval',
    ],
  },
  {
    what: 'an empty stop rule',
    source: MINIMAL_RECIPE.replace(/until:\n(.*\n)*/, 'until: {}\n'),
    lines: ['r.yaml:26:8: until: needs at least one of max_iterations, metric, plateau, walltime; add e.g. "max_iterations: 3"'],
  },
  {
    what: 'an output path leaving the output folder',
    source: withLine(11, '    outputs: { model: ../model }'),
    lines: [
      'r.yaml:11:23: stages.train_sft.outputs.model: "../model" leaves the stage\'s output directory: write a path relative to {{ out ' +
        '}}, e.g. "model" or "data/sft.jsonl"',
    ],
  },
  {
    what: 'a duplicate key',
    source: withLine(1, 'name: other', true),
    lines: ['r.yaml:2:1: Map keys must be unique: each key may appear once in a mapping; remove or rename one'],
  },
  {
    what: 'broken YAML',
    source: withLine(12, '  sample_rm: [', false),
    lines: expect.arrayContaining([expect.stringMatching(/^r\.yaml:\d+:\d+: .*fix the YAML syntax/)]) as unknown as string[],
  },
  {
    what: 'a placeholder inside a variable, which would reach the script unfilled',
    source: withLine(5, '  data: "{{ recipe_dir }}/data"', true),
    lines: [
      'r.yaml:6:10: vars.data: {{ recipe_dir }}: placeholders are not filled in inside vars: a variable reaches the command as ' +
        'written. Put the placeholder in the command beside it, e.g. "{{ recipe_dir }}/{{ vars.data }}"; a path relative to the ' +
        "recipe's folder needs none, as every stage runs there",
    ],
  },
  {
    what: 'a placeholder inside an input path',
    source: withLine(7, '  sft: "{{ recipe_dir }}/data/sft.jsonl"'),
    lines: [
      'r.yaml:7:9: inputs.sft: {{ recipe_dir }}: placeholders are not filled in inside inputs: an input is a file that exists ' +
        'before the run, its path absolute or relative to the recipe\'s folder (write "data/sft.jsonl", not "{{ recipe_dir ' +
        '}}/data/sft.jsonl")',
    ],
  },
  {
    what: 'a placeholder inside a variable set on the command line',
    source: MINIMAL_RECIPE,
    sets: ['vars.k={{ run_dir }}/k'],
    lines: [
      'r.yaml: --set vars.k={{ run_dir }}/k: vars.k: {{ run_dir }}: placeholders are not filled in inside vars: a variable reaches ' +
        'the command as written. Put the placeholder in the command beside it, e.g. "{{ run_dir }}/{{ vars.k }}"; a path relative ' +
        "to the recipe's folder needs none, as every stage runs there",
    ],
  },
  {
    what: 'a bad --set value',
    source: MINIMAL_RECIPE,
    sets: ['until.max_iterations=many'],
    lines: ['r.yaml: --set until.max_iterations=many: until.max_iterations: expected a number, got "many"'],
  },
  {
    what: 'a --set without a value',
    source: MINIMAL_RECIPE,
    sets: ['until.max_iterations'],
    lines: ['r.yaml: --set until.max_iterations: expected PATH=VALUE, e.g. --set until.max_iterations=3'],
  },
  {
    what: 'a --set into a scalar',
    source: MINIMAL_RECIPE,
    sets: ['name.first=x'],
    lines: ['r.yaml: --set name.first=x: name: name is a single value, not a mapping: set name itself'],
  },
  {
    what: 'an empty file',
    source: '',
    lines: ['r.yaml:1:1: the recipe is empty: start from recipes/quickstart.yaml'],
  },
];

describe('loadRecipe: bad recipes give one located line each', () => {
  it.each(cases)('$what', ({ source, sets, lines }) => {
    expect(errorsOf(source, sets)).toEqual(lines);
  });

  it('reports every problem at once, in file order', () => {
    const source = withLine(3, 'seed: -1').replace('loop: evolve', 'loop: evolv');
    expect(errorsOf(source)).toEqual([
      'r.yaml:2:7: loop: must be "evolve", got "evolv". Did you mean "evolve"?',
      'r.yaml:3:7: seed: must be at least 0, got -1',
    ]);
  });
});

describe('loadRecipe: time limits', () => {
  it.each(['0', '0s', '"00:00:00"'])('refuses a zero time limit (%s)', (value) => {
    expect(errorsOf(withLine(25, `    resources: { time: ${value} }`, true))).toEqual([
      expect.stringMatching(/^r\.yaml:26:24: stages\.eval\.resources\.time: must be more than 0; leave "time" out for no limit$/),
    ]);
  });
});

describe('loadRecipe: sharded stages', () => {
  it('reads shards and parallel_shards onto the stage, and leaves other stages unsharded', () => {
    const recipe = loadRecipeSource(MINIMAL_RECIPE, 'r.yaml', '/tmp/r.yaml', {
      sets: ['stages.eval.shards=4', 'stages.eval.parallel_shards=2'],
    });
    expect(recipe.stages.find((s) => s.name === 'eval')).toMatchObject({ shards: 4, parallelShards: 2 });
    expect(recipe.stages.find((s) => s.name === 'train_sft')!.shards).toBeUndefined();
  });

  it('refuses zero shards and parallel_shards without shards, saying what to do', () => {
    expect(errorsOf(MINIMAL_RECIPE, ['stages.eval.shards=0']).join('\n')).toMatch(/stages\.eval\.shards: .*1/);
    expect(errorsOf(MINIMAL_RECIPE, ['stages.eval.parallel_shards=2']).join('\n')).toContain(
      '"parallel_shards" needs "shards: N" on the same stage',
    );
  });
});
