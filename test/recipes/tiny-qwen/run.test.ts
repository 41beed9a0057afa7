import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWith } from '../../support/optional-dependency.ts';
import { PYTHON, pythonStack, runPython } from '../../support/python-stack.ts';
import { LOOP_BIN, runCli } from '../../helpers/run-cli.ts';

// recipes/tiny-qwen.yaml end to end with the production scripts of recipes/qwen2.5-math/, really training a tiny
// Qwen2 model with transformers and TRL on the CPU: two rounds of the loop and the RL phase (GRPO), then every
// saved model loaded as a user would. About 10 minutes on 2 cores; needs .ci/setup/python-stack.sh's venv.
const home = mkdtempSync(path.join(tmpdir(), 'loop-tiny-qwen-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Report {
  status: string;
  iterations: Array<{ index: number; metrics: Record<string, number>; stages: Record<string, { status: string }> }>;
  rl: { metrics: Record<string, number>; stages: Record<string, { status: string }> } | null;
}

const LOOP_STAGES = ['sample_rm', 'grade', 'train_rm', 'sample_sft', 'score', 'select', 'train_sft', 'eval'];
const RL_STAGES = ['rl_sample', 'rl_grade', 'rl_filter', 'rl_train', 'rl_eval'];
const check = path.resolve('test/recipes/tiny-qwen/check_artifacts.py');
const data = path.resolve('recipes/tiny-qwen/data');
const cli = (args: string[], timeoutMs = 120_000) => runCli([...args, '--home', home], { cwd: home, timeoutMs });

describeWith("the recipes' Python stack (tiny-qwen)", pythonStack(), () => {
  let report: Report;
  const runDir = path.join(home, 'runs', 'tq');

  it('runs two iterations and the RL phase with every stage succeeding', { timeout: 1_800_000 }, () => {
    const run = cli(
      [
        'run',
        path.resolve('recipes/tiny-qwen.yaml'),
        '--name',
        'tq',
        '--set',
        `vars.python=${PYTHON}`,
        '--set',
        'until.max_iterations=2',
        '--set',
        'rl.enabled=true',
      ],
      1_790_000,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    report = JSON.parse(cli(['status', 'tq', '--json']).stdout) as Report;
    expect(report.status).toBe('succeeded');
    expect(report.iterations.map((it) => it.index)).toEqual([0, 1, 2]);
    expect(Object.keys(report.iterations[0]!.stages).sort()).toEqual(['eval', 'train_sft']);
    for (const it of report.iterations.slice(1)) {
      expect(Object.keys(it.stages).sort()).toEqual([...LOOP_STAGES].sort());
      for (const stage of Object.values(it.stages)) expect(stage.status).toBe('succeeded');
      expect(it.metrics['train_rm.loss']).toBeGreaterThan(0);
    }
    for (const it of report.iterations) {
      expect(it.metrics['eval.accuracy']).toBeGreaterThanOrEqual(0);
      expect(it.metrics['train_sft.loss']).toBeGreaterThan(0);
      expect(it.metrics['train_sft.steps']).toBeGreaterThan(0);
    }
    expect(Object.keys(report.rl!.stages).sort()).toEqual([...RL_STAGES].sort());
    for (const stage of Object.values(report.rl!.stages)) expect(stage.status).toBe('succeeded');
    expect(report.rl!.metrics['rl_train.steps']).toBeGreaterThan(0);
    expect(report.rl!.metrics['rl_eval.accuracy']).toBeGreaterThanOrEqual(0);
    console.log(
      'tiny-qwen eval.accuracy by iteration:',
      report.iterations.map((it) => it.metrics['eval.accuracy']),
      'rl_eval.accuracy:',
      report.rl!.metrics['rl_eval.accuracy'],
    );
  });

  it("gives iteration 1's SFT model through `loop pull`, and transformers loads it and generates", { timeout: 300_000 }, () => {
    const dir = path.join(home, 'pulled-sft');
    const pull = cli(['pull', 'tq@1', 'train_sft', dir]);
    expect(pull.code, pull.stderr).toBe(0);
    const loaded = runPython([check, 'policy', dir]); // the model folder's files are the pulled folder's (docs/artifacts.md)
    expect(loaded.code, loaded.stderr).toBe(0);
    const { generated, parameters } = loaded.json() as { generated: string; parameters: number };
    expect(parameters).toBeGreaterThan(100_000);
    expect(generated).toMatch(/^Ones: 7 \+ 8 = 15/); // the worked format the SFT data teaches
  });

  it("gives iteration 1's RM through `loop pull`; it ranks correct above wrong held-out responses better than chance", {
    timeout: 300_000,
  }, () => {
    const dir = path.join(home, 'pulled-rm');
    expect(cli(['pull', 'tq@1', 'train_rm', dir]).code).toBe(0);
    // Held out: the rejection-sampling responses of iteration 1 (labeled queries, disjoint from the RM's queries),
    // graded by the built-in grader.
    const graded = path.join(home, 'heldout-graded.jsonl');
    const grade = runCli(
      [
        'data',
        'grade',
        '--queries',
        path.join(data, 'labeled.jsonl'),
        '--queries',
        path.join(data, 'unlabeled.jsonl'),
        '--samples',
        path.join(runDir, 'iterations/1/sample_sft/out/samples.jsonl'),
        '--out',
        graded,
      ],
      { cwd: home },
    );
    expect(grade.code, grade.stderr).toBe(0);
    const scored = runPython([check, 'rm', dir, graded, path.join(data, 'labeled.jsonl')]);
    expect(scored.code, scored.stderr).toBe(0);
    const { auc, pairs, kind } = scored.json() as { auc: number; pairs: number; kind: string };
    console.log(`tiny-qwen listwise RM of iteration 1: AUC ${auc.toFixed(3)} over ${pairs} held-out (correct, wrong) pairs`);
    expect(kind).toBe('listwise');
    expect(pairs).toBeGreaterThan(20);
    expect(auc).toBeGreaterThan(0.5);
  });

  it("trains the pairwise RM with TRL's RewardTrainer on the same graded data; it loads and scores", { timeout: 600_000 }, () => {
    const out = path.join(home, 'trl-rm');
    const trained = runPython(
      [
        path.resolve('recipes/qwen2.5-math/train_rm_trl.py'),
        '--model',
        path.join(runDir, 'iterations/0/train_sft/out/model'),
        '--data',
        path.join(runDir, 'iterations/1/grade/out/graded.jsonl'),
        '--queries',
        path.join(data, 'rm-queries.jsonl'),
        '--epochs',
        '2',
        '--learning-rate',
        '1e-3',
        '--per-device-batch-size',
        '8',
        '--grad-accum',
        '1',
        '--max-length',
        '160',
        '--eval-fraction',
        '0.15',
        '--gradient-checkpointing',
        'false',
        '--logging-steps',
        '5',
        '--scratch',
        path.join(home, 'trl-scratch'),
        '--out',
        out,
      ],
      // train_rm_trl.py builds its pairs with `loop data rm-data`, found as a stage finds it: $LOOP_NODE $LOOP_BIN.
      { cwd: path.resolve('recipes'), timeoutMs: 590_000, env: { LOOP_NODE: process.execPath, LOOP_BIN } },
    );
    expect(trained.code, trained.stderr.slice(-3000)).toBe(0);
    const graded = path.join(home, 'heldout-graded.jsonl');
    const scored = runPython([check, 'rm', out, graded, path.join(data, 'labeled.jsonl')]);
    expect(scored.code, scored.stderr).toBe(0);
    const { auc, kind } = scored.json() as { auc: number; kind: string };
    console.log(`tiny-qwen TRL pairwise RM: AUC ${auc.toFixed(3)}`);
    expect(kind).toBe('seqcls');
    expect(auc).toBeGreaterThanOrEqual(0);
  });

  it('saves a GRPO policy that transformers loads and generates with', () => {
    const loaded = runPython([check, 'policy', path.join(runDir, 'rl/rl_train/out/model')]);
    expect(loaded.code, loaded.stderr).toBe(0);
    expect((loaded.json() as { generated: string }).generated.length).toBeGreaterThan(0);
  });
});
