import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { MLFLOW_PYTHON, MLFLOW_URI, mlflowAvailable } from '../../support/mlflow.ts';

// The verl variant's --report-to (recipes/qwen2.5-math/verl_tracking.py): vars.report_to → verl's trainer.logger,
// project and experiment names, so that verl's MLflow logging lands in the child run loop made for rl_train.

const scripts = path.resolve('recipes/qwen2.5-math');
const python = process.env.PYTHON ?? 'python3';
const root = mkdtempSync(path.join(tmpdir(), 'loop-verl-tracking-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// verl_tracking(report_to, environ, tensorboard_dir) as JSON, run by python3 (standard library only).
function tracking(reportTo: string, environ: Record<string, string>): { overrides: string[]; env: Record<string, string> } {
  const code =
    'import json, sys\nfrom verl_tracking import verl_tracking\n' +
    'o, e = verl_tracking(sys.argv[1], json.loads(sys.argv[2]), "/runs/r/rl/rl_train/out/tensorboard", ' +
    'run_name=lambda i: f"name of {i}")\nprint(json.dumps({"overrides": o, "env": e}))';
  const run = spawnSync(python, ['-c', code, reportTo, JSON.stringify(environ)], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: scripts, PYTHONDONTWRITEBYTECODE: '1' },
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describe('verl_tracking.py', () => {
  const loopEnv = { LOOP_RUN: 'q', WANDB_NAME: 'q-iter-3-rl_train' };

  it('keeps the console alone by default, named after the loop run and stage', () => {
    expect(tracking('none', loopEnv)).toEqual({
      overrides: ["trainer.logger=['console']", "trainer.project_name='loop'", "trainer.experiment_name='q-iter-3-rl_train'"],
      env: {},
    });
  });

  it("logs into the loop's MLflow experiment, into the stage's child run under its own name, and to TensorBoard", () => {
    const environ = { ...loopEnv, MLFLOW_EXPERIMENT_NAME: "team's exp", MLFLOW_RUN_ID: 'abc123' };
    expect(tracking('mlflow, tensorboard', environ)).toEqual({
      overrides: [
        "trainer.logger=['console','mlflow','tensorboard']",
        String.raw`trainer.project_name='team\'s exp'`,
        "trainer.experiment_name='name of abc123'",
      ],
      env: { TENSORBOARD_DIR: '/runs/r/rl/rl_train/out/tensorboard' },
    });
    // A TENSORBOARD_DIR of the user's own stays; W&B takes its project from WANDB_PROJECT.
    expect(tracking('tensorboard,wandb', { ...loopEnv, TENSORBOARD_DIR: '/tb', WANDB_PROJECT: 'math' })).toEqual({
      overrides: [
        "trainer.logger=['console','tensorboard','wandb']",
        "trainer.project_name='math'",
        "trainer.experiment_name='q-iter-3-rl_train'",
      ],
      env: {},
    });
  });

  it('refuses a tracker verl has not, before any work, naming those it has', () => {
    const run = spawnSync(
      python,
      [
        path.join(scripts, 'train_verl.py'),
        '--model',
        'm',
        '--rm',
        'r',
        '--queries',
        'q.jsonl',
        '--report-to',
        'all',
        '--scratch',
        root,
        '--out',
        'o',
      ],
      { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('--report-to all: verl logs to mlflow, wandb, tensorboard or none, not all');
  });

  it('refuses, before any work, a verl override after -- that the adapter sets and relies on', () => {
    const args = ['--model', 'm', '--rm', 'r', '--queries', 'q.jsonl', '--scratch', path.join(root, 's'), '--out', 'o', '--'];
    const run = (override: string) =>
      spawnSync(python, [path.join(scripts, 'train_verl.py'), ...args, 'trainer.save_freq=10', override], {
        encoding: 'utf8',
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      });
    const logger = run("trainer.logger=['wandb']");
    expect(logger.status).toBe(1);
    expect(logger.stderr.trim()).toBe(
      'trainer.logger after --: use --report-to (recipe: vars.report_to); the console logger must stay, metrics.json is read from it',
    );
    expect(run('+trainer.default_local_dir=/elsewhere').stderr.trim()).toBe(
      'trainer.default_local_dir after --: the adapter merges the last checkpoint from --scratch/ckpt',
    );
    expect(existsSync(path.join(root, 's'))).toBe(false);
  });
});

describeWith("verl's MLflow logging inside a loop run (a real MLflow server)", mlflowAvailable(), () => {
  it('lands in the child run loop made for the stage, which keeps its name', { timeout: 120_000 }, () => {
    const experiment = `loop-ci-verl-${process.pid}-${Date.now()}`;
    const home = path.join(root, 'home');
    const sets = [
      'until.max_iterations=0',
      `tracking.mlflow.tracking_uri=${MLFLOW_URI}`,
      `tracking.mlflow.experiment=${experiment}`,
      'tracking.mlflow.stage_runs=[train_sft]',
      // train_sft first logs as verl would with train_verl.py's overrides, then trains as usual.
      `stages.train_sft.command=[${MLFLOW_PYTHON}, ${path.resolve('test/recipes/qwen/fixtures/log-as-verl.py')}, ${scripts}, node, ` +
        '"{{ recipe_dir }}/quickstart/train-sft.mjs", --data, "{{ select.data ?? inputs.sft }}", --out, "{{ out }}/policy.json"]',
    ].flatMap((s) => ['--set', s]);
    const run = runCli(['run', path.resolve('recipes/quickstart.yaml'), '--name', 'tv', '--home', home, ...sets], {
      cwd: root,
      timeoutMs: 100_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const read = spawnSync(
      MLFLOW_PYTHON,
      [
        '-c',
        'import json, sys, mlflow\nmlflow.set_tracking_uri(sys.argv[1])\n' +
          'runs = mlflow.search_runs(experiment_names=[sys.argv[2]], output_format="list")\n' +
          'print(json.dumps([{"name": r.info.run_name, "stage": r.data.tags.get("loop.stage"), "metrics": r.data.metrics} for r in runs]))',
        MLFLOW_URI,
        experiment,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(read.status, read.stderr).toBe(0);
    const runs = JSON.parse(read.stdout.trim().split('\n').at(-1)!) as Array<{
      name: string;
      stage?: string;
      metrics: Record<string, number>;
    }>;
    // The loop's run and the stage's child run, no third one; verl's point is in the child, whose name is loop's.
    expect(runs).toHaveLength(2);
    expect(runs.find((r) => r.stage === 'train_sft')).toEqual({
      name: 'tv iter-0 train_sft',
      stage: 'train_sft',
      metrics: { 'critic/score/mean': 0.25 },
    });
  });
});
