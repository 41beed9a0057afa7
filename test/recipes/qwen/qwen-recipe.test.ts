import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The Qwen2.5-Math recipe: it validates, its scripts compile, and its CPU stages (grade.py, select_sft.py)
// give exact results on hand-made data. The GPU scripts (vLLM, TRL, DeepSpeed) are only compiled here.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const scripts = path.join(root, 'recipes', 'qwen2.5-math');
const python = process.env.PYTHON ?? 'python3';
// Every test starts processes (node for `loop plan`, python3 for the scripts): allow a slow CI machine.

const STAGE_SCRIPTS: Record<string, string> = {
  sample_rm: 'sample.py',
  grade: 'grade.py',
  train_rm: 'train_rm.py',
  sample_sft: 'sample.py',
  score: 'score.py',
  select: 'select_sft.py',
  train_sft: 'train_sft.py',
  eval: 'eval.py',
  rl_sample: 'sample.py',
  rl_grade: 'grade.py',
  rl_filter: 'rl_filter.py',
  rl_train: 'train_grpo.py',
  rl_eval: 'eval.py',
};

function plan(...flags: string[]): string {
  return execFileSync(process.execPath, [path.join(root, 'bin', 'loop.mjs'), 'plan', 'recipes/qwen2.5-math.yaml', ...flags], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

function jsonl(rows: object[]): string {
  return rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
}

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function runScript(script: string, args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  delete env.LOOP_METRICS; // metrics.json then goes next to --out
  return execFileSync(python, [path.join(scripts, script), ...args], { encoding: 'utf8', env });
}

describe('recipes/qwen2.5-math.yaml', { timeout: 60_000 }, () => {
  it('passes loop plan and names each stage with its script', () => {
    const text = plan();
    const blocks = text.split(/^(?=\d+\. )/m).slice(1);
    const byStage = new Map(blocks.map((block) => [block.split(/\s+/)[1]!, block]));
    expect([...byStage.keys()]).toEqual(Object.keys(STAGE_SCRIPTS));
    for (const [stage, script] of Object.entries(STAGE_SCRIPTS)) {
      expect(byStage.get(stage), stage).toContain(`{{ recipe_dir }}/qwen2.5-math/${script}`);
      expect(existsSync(path.join(scripts, script)), script).toBe(true);
    }
    expect(text).toContain('eval.accuracy >= 0.88');
    expect(text).toContain('after iteration 3');
  });

  it('gives GPU stages 8 GPUs and retries, and grade/select CPUs only', () => {
    const stages = (
      JSON.parse(plan('--json')) as {
        stages: { name: string; resources: { gpus: number; cpus: number }; retry: { attempts: number }; executor: string }[];
      }
    ).stages;
    for (const stage of stages) {
      const cpuStage = ['grade', 'select', 'rl_grade', 'rl_filter'].includes(stage.name);
      expect(stage.resources.gpus, stage.name).toBe(cpuStage ? 0 : 8);
      expect(stage.resources.cpus, stage.name).toBeGreaterThan(1);
      if (!cpuStage || !stage.name.startsWith('rl_')) expect(stage.retry.attempts, stage.name).toBeGreaterThan(1);
      expect(stage.executor, stage.name).toMatch(/^slurm /);
    }
  });

  it('runs on one 8-GPU machine with the --set flags the docs give', () => {
    const text = plan(
      '--set',
      'executor={kind: local}',
      '--set',
      'stages.grade.executor={kind: local}',
      '--set',
      'stages.select.executor={kind: local}',
      '--set',
      'rl.stages.rl_grade.executor={kind: local}',
      '--set',
      'rl.stages.rl_filter.executor={kind: local}',
    );
    const stageLines = text.match(/^\d+\. \S+ .*$/gm) ?? [];
    expect(stageLines).toHaveLength(13);
    for (const line of stageLines) expect(line).toContain(' local · ');
  });

  it('starts with the schema comment', () => {
    const first = readFileSync(path.join(root, 'recipes', 'qwen2.5-math.yaml'), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=./recipe.schema.json');
  });
});

describe('recipes/qwen2.5-math/*.py', { timeout: 60_000 }, () => {
  it('compile with python3 -m py_compile', () => {
    const files = readdirSync(scripts).filter((f) => f.endsWith('.py'));
    expect(files).toEqual(
      expect.arrayContaining(['grade.py', 'select_sft.py', 'sample.py', 'train_rm.py', 'train_sft.py', 'score.py', 'eval.py']),
    );
    const cache = mkdtempSync(path.join(tmpdir(), 'qwen-pyc-'));
    try {
      // PYTHONPYCACHEPREFIX: the bytecode goes to a temp folder, not into the repository.
      execFileSync(python, ['-m', 'py_compile', ...files.map((f) => path.join(scripts, f))], {
        env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
        stdio: 'pipe',
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('ds_zero3.json is a ZeRO-3 config', () => {
    const config = JSON.parse(readFileSync(path.join(scripts, 'ds_zero3.json'), 'utf8')) as { zero_optimization: { stage: number } };
    expect(config.zero_optimization.stage).toBe(3);
  });
});

describe('grade.py and select_sft.py on hand-made data', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'qwen-recipe-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('grade.py extracts final answers and labels them against the reference', () => {
    const queries = path.join(dir, 'grade-queries.jsonl');
    const samples = path.join(dir, 'grade-samples.jsonl');
    const out = path.join(dir, 'grade', 'graded.jsonl');
    writeFileSync(
      queries,
      jsonl([
        { id: 'q1', question: 'What is 1+1?', answer: '2' },
        { id: 'q2', question: 'Half of one?', answer: '\\frac{1}{2}' },
        { id: 'q3', question: 'How many clips?', answer: 'She sold 600 + 600 = 1,200 clips.\n#### 1,200' },
        { id: 'q4', question: 'An open question' },
      ]),
    );
    writeFileSync(
      samples,
      jsonl([
        { id: 'q1', response: 'So the sum is $\\boxed{2}$.' },
        { id: 'q1', response: 'Counting again, 1 + 1 = 3. The answer is 3.' },
        { id: 'q2', response: 'We get $\\boxed{\\dfrac{1}{2}}$.' },
        { id: 'q2', response: 'Dividing, the result is 0.5' },
        { id: 'q3', response: 'She sold 1200 clips.\n#### 1200' },
        { id: 'q3', response: 'It is \\boxed{\\frac{1200}{1' },
        { id: 'q4', response: 'Hence $\\boxed{x = 7}$' },
        { id: 'q2', response: 'We need \\boxed{\\left( 1, \\frac{\\pi}{2} \\right)}' },
      ]),
    );
    runScript('grade.py', ['--queries', queries, '--samples', samples, '--out', out]);

    expect(readJsonl(out).map((r) => [r.id, r.pred, r.correct])).toEqual([
      ['q1', '2', true],
      ['q1', '3', false],
      ['q2', '\\dfrac{1}{2}', true],
      ['q2', '0.5', true],
      ['q3', '1200', true],
      ['q3', null, false], // a box that never closes: cut off, no answer
      ['q4', 'x = 7', null], // no reference answer: not graded
      ['q2', '\\left( 1, \\frac{\\pi}{2} \\right)', false],
    ]);
    expect(readJsonl(out)[0]).toEqual({ id: 'q1', response: 'So the sum is $\\boxed{2}$.', pred: '2', correct: true });
    const metrics = JSON.parse(readFileSync(path.join(dir, 'grade', 'metrics.json'), 'utf8')) as Record<string, number>;
    expect(metrics.samples).toBe(8);
    expect(metrics.queries).toBe(4);
    expect(metrics.accuracy).toBeCloseTo(4 / 7, 10);
    expect(metrics.pass_at_n).toBe(1);
    expect(metrics.mixed_queries).toBeCloseTo(1, 10);
    expect(metrics.no_answer_rate).toBeCloseTo(1 / 8, 10);
  });

  const selectQueries = [
    { id: 'L1', question: 'What is 2+3?', answer: '5' },
    { id: 'L2', question: 'Half of one?', answer: '\\frac{1}{2}' },
    { id: 'U1', question: 'Unlabeled question one' },
    { id: 'U2', question: 'Unlabeled question two' },
  ];
  const selectSamples = [
    { id: 'L1', response: 'So \\boxed{5}', rm: 0.5 },
    { id: 'L1', response: 'Thus \\boxed{5}', rm: 2.0 },
    { id: 'L1', response: 'Wrongly \\boxed{6}', rm: 5.0 }, // the RM's favourite, but wrong: never kept
    { id: 'L1', response: 'The answer is 5.', rm: 1.0 },
    { id: 'L2', response: 'x \\boxed{0.5}', rm: 1.0 },
    { id: 'L2', response: 'x \\boxed{0.5}', rm: 1.0 }, // an identical response is kept once
    { id: 'L2', response: 'y \\boxed{\\frac12}', rm: 0.1 },
    { id: 'U1', response: 'a \\boxed{5}', rm: -2.0 },
    { id: 'U1', response: 'b \\boxed{5}', rm: -2.0 },
    { id: 'U1', response: 'c \\boxed{5}', rm: -2.0 },
    { id: 'U1', response: 'd \\boxed{7}', rm: 2.0 },
    { id: 'U1', response: 'e \\boxed{7}', rm: 3.0 },
    { id: 'U2', response: 'I am not sure.', rm: 0.3 }, // no answer to vote on
  ];

  function select(vote: string): { rows: Record<string, unknown>[]; metrics: Record<string, number> } {
    const queries = path.join(dir, 'select-queries.jsonl');
    const samples = path.join(dir, 'select-samples.jsonl');
    const out = path.join(dir, `select-${vote}`, 'sft.jsonl');
    writeFileSync(queries, jsonl(selectQueries));
    writeFileSync(samples, jsonl(selectSamples));
    runScript('select_sft.py', ['--queries', queries, '--samples', samples, '--top-k', '2', '--vote', vote, '--out', out]);
    return {
      rows: readJsonl(out),
      metrics: JSON.parse(readFileSync(path.join(path.dirname(out), 'metrics.json'), 'utf8')) as Record<string, number>,
    };
  }

  it(
    'select_sft.py keeps the top-k correct responses by RM for labeled queries, and the RM-weighted vote winner for unlabeled ' + 'ones',
    () => {
      const { rows, metrics } = select('sigmoid');
      expect(rows).toEqual([
        { id: 'L1', question: 'What is 2+3?', response: 'Thus \\boxed{5}', answer: '5', rm: 2.0, source: 'reference' },
        { id: 'L1', question: 'What is 2+3?', response: 'The answer is 5.', answer: '5', rm: 1.0, source: 'reference' },
        { id: 'L2', question: 'Half of one?', response: 'x \\boxed{0.5}', answer: '\\frac{1}{2}', rm: 1.0, source: 'reference' },
        { id: 'L2', question: 'Half of one?', response: 'y \\boxed{\\frac12}', answer: '\\frac{1}{2}', rm: 0.1, source: 'reference' },
        // Three votes for 5 with sigmoid(-2) = 0.12 each (0.36) lose to two for 7 with sigmoid(3) + sigmoid(2) = 1.83.
        { id: 'U1', question: 'Unlabeled question one', response: 'e \\boxed{7}', answer: '7', rm: 3.0, source: 'vote' },
        { id: 'U1', question: 'Unlabeled question one', response: 'd \\boxed{7}', answer: '7', rm: 2.0, source: 'vote' },
      ]);
      const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
      const share = (sigmoid(3) + sigmoid(2)) / (3 * sigmoid(-2) + sigmoid(3) + sigmoid(2));
      expect(metrics.examples).toBe(6);
      expect(metrics.queries_labeled).toBe(2);
      expect(metrics.queries_unlabeled).toBe(2);
      expect(metrics.labeled_coverage).toBe(1);
      expect(metrics.unlabeled_coverage).toBe(0.5);
      expect(metrics.sample_accuracy).toBeCloseTo(6 / 7, 10);
      expect(metrics.rm_top1_accuracy).toBe(0.5); // L1's top response is the wrong one
      expect(metrics.vote_accuracy).toBe(1);
      expect(metrics.majority_accuracy).toBe(1);
      expect(metrics.vote_share).toBeCloseTo(share, 10);
    },
  );

  it('select_sft.py with a plain majority vote picks the most frequent answer instead', () => {
    const { rows } = select('count');
    expect(rows.filter((r) => r.id === 'U1')).toEqual([
      { id: 'U1', question: 'Unlabeled question one', response: 'a \\boxed{5}', answer: '5', rm: -2.0, source: 'vote' },
      { id: 'U1', question: 'Unlabeled question one', response: 'b \\boxed{5}', answer: '5', rm: -2.0, source: 'vote' },
    ]);
  });

  it('select_sft.py refuses samples without RM scores', () => {
    const samples = path.join(dir, 'unscored.jsonl');
    const queries = path.join(dir, 'select-queries.jsonl');
    writeFileSync(queries, jsonl(selectQueries));
    writeFileSync(samples, jsonl([{ id: 'L1', response: '\\boxed{5}' }]));
    expect(() =>
      execFileSync(
        python,
        [path.join(scripts, 'select_sft.py'), '--queries', queries, '--samples', samples, '--out', path.join(dir, 'x', 'sft.jsonl')],
        {
          stdio: 'pipe',
          env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
        },
      ),
    ).toThrow(/no numeric "rm" score/);
  });
});

describe('sample.py and eval.py plumbing, with a stand-in vllm module', { timeout: 60_000 }, () => {
  // vLLM itself is not run: test/recipes/qwen/fake-vllm answers each prompt with canned text. What is checked is
  // the code around it: engines split over the job's GPUs, resumable chunks, the merge, and eval's grading.
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'qwen-vllm-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function runWithFakeVllm(script: string, args: string[], extra: NodeJS.ProcessEnv = {}): string {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PYTHONPATH: path.join(root, 'test', 'recipes', 'qwen', 'fake-vllm'),
      PYTHONDONTWRITEBYTECODE: '1',
      CUDA_VISIBLE_DEVICES: '4,5',
      ...extra,
    };
    delete env.LOOP_METRICS;
    delete env.LOOP_GPUS;
    return execFileSync(python, [path.join(scripts, script), ...args], { encoding: 'utf8', env, stdio: 'pipe' });
  }

  it('sample.py keeps finished chunks when an engine fails, resumes from them, and merges in query order', () => {
    const queries = path.join(dir, 'queries.jsonl');
    const scratch = path.join(dir, 'scratch');
    const out = path.join(dir, 'sample', 'samples.jsonl');
    writeFileSync(queries, jsonl(['a', 'bb', 'ccc', 'dddd', 'eeeee'].map((question, i) => ({ id: `q${i}`, question }))));
    const args = [
      '--model',
      'fake',
      '--queries',
      queries,
      '--n',
      '2',
      '--gpus',
      '2',
      '--chunk-size',
      '2',
      '--seed',
      '3',
      '--scratch',
      scratch,
      '--out',
      out,
    ];

    // Chunks: 0 = q0,q1 and 2 = q4 on engine 0; 1 = q2,q3 on engine 1, which fails.
    expect(() => runWithFakeVllm('sample.py', args, { FAKE_VLLM_FAIL_ON: 'dddd' })).toThrow(/vLLM engine\(s\) \[1\] failed/);
    expect(
      readdirSync(scratch)
        .filter((f) => f.startsWith('chunk-'))
        .sort(),
    ).toEqual(['chunk-000000.jsonl', 'chunk-000002.jsonl']);
    expect(existsSync(out)).toBe(false);

    const log = runWithFakeVllm('sample.py', args);
    expect(log).toContain('5 queries in 3 chunks, 2 already done');
    const rows = readJsonl(out);
    expect(rows.map((r) => r.id)).toEqual(['q0', 'q0', 'q1', 'q1', 'q2', 'q2', 'q3', 'q3', 'q4', 'q4']);
    expect(rows[0]).toEqual({ id: 'q0', response: 'gpu 4: \\boxed{1}', finish_reason: 'stop', num_tokens: 3 });
    expect(rows[1]!.num_tokens).toBe(4);
    expect(existsSync(scratch)).toBe(false); // removed once the output is written
    const metrics = JSON.parse(readFileSync(path.join(dir, 'sample', 'metrics.json'), 'utf8')) as Record<string, number>;
    expect(metrics).toMatchObject({ queries: 5, samples: 10, truncated_rate: 0, mean_tokens: 3.5 });
  });

  it('eval.py grades each benchmark and reports the mean of their accuracies as accuracy', () => {
    const math = path.join(dir, 'math.jsonl');
    const gsm = path.join(dir, 'gsm.jsonl');
    const out = path.join(dir, 'eval', 'predictions.jsonl');
    // The stand-in answers len(question).
    writeFileSync(
      math,
      jsonl([
        { id: 1, question: 'abc', answer: '3' },
        { id: 2, question: 'ab', answer: '5' },
      ]),
    );
    writeFileSync(gsm, jsonl([{ id: 1, question: 'abcd', answer: 'so 2 + 2 = 4\n#### 4' }]));
    runWithFakeVllm('eval.py', [
      '--model',
      'fake',
      '--benchmark',
      `math500=${math}`,
      '--benchmark',
      `gsm8k=${gsm}`,
      '--gpus',
      '2',
      '--scratch',
      path.join(dir, 'eval-scratch'),
      '--out',
      out,
    ]);

    expect(readJsonl(out).map((r) => [r.benchmark, r.id, r.pred, r.correct])).toEqual([
      ['math500', 1, '3', true],
      ['math500', 2, '2', false],
      ['gsm8k', 1, '4', true],
    ]);
    const metrics = JSON.parse(readFileSync(path.join(dir, 'eval', 'metrics.json'), 'utf8')) as Record<string, number>;
    expect(metrics).toEqual({ accuracy: 0.75, math500: 0.5, gsm8k: 1, no_answer_rate: 0, truncated_rate: 0 });
  });
});
