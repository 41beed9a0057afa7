import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { describeWith } from '../../support/optional-dependency.ts';
import { PYTHON, pythonStack } from '../../support/python-stack.ts';
import { LOOP_BIN, runCli } from '../../helpers/run-cli.ts';

// Crash safety with real training: train_sft (TRL's SFTTrainer on the tiny Qwen2 model) is killed with SIGKILL
// mid-training, first the training process itself, then the controller. The retry resumes from the last
// checkpoint in scratch (its log names the step), `loop resume` re-attaches to the attempt still training, and
// the run finishes with the global step count of one uninterrupted training.
const home = mkdtempSync(path.join(tmpdir(), 'loop-tiny-qwen-crash-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const STEPS = 100; // train_sft's --max-steps, over the 800 seed rows
const runDir = path.join(home, 'runs', 'crash');
const scratch = path.join(runDir, 'scratch', '0', 'train_sft');
const stageDir = path.join(runDir, 'iterations', '0', 'train_sft');

// The newest complete checkpoint's step in scratch (one with its trainer_state.json), or 0.
function checkpointStep(): number {
  if (!existsSync(scratch)) return 0;
  const steps = readdirSync(scratch)
    .filter((name) => /^checkpoint-\d+$/.test(name) && existsSync(path.join(scratch, name, 'trainer_state.json')))
    .map((name) => Number(name.slice('checkpoint-'.length)));
  return Math.max(0, ...steps);
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

// The pids of this run's train_sft.py processes (their command line names this run's scratch folder).
function trainingPids(): number[] {
  const found = spawnSync('pgrep', ['-f', `train_sft.py.*${scratch}`], { encoding: 'utf8' });
  return found.stdout.trim().split('\n').filter(Boolean).map(Number);
}

describeWith("the recipes' Python stack (tiny-qwen crash safety)", pythonStack(), () => {
  it('resumes train_sft from its checkpoint after kill -9 of the trainer, then of the controller', { timeout: 900_000 }, async () => {
    const controller = spawn(
      process.execPath,
      [
        LOOP_BIN,
        'run',
        path.resolve('recipes/tiny-qwen.yaml'),
        '--name',
        'crash',
        '--home',
        home,
        '--set',
        `vars.python=${PYTHON}`,
        '--set',
        'until.max_iterations=0',
        '--set',
        `vars.sft_max_steps=${STEPS}`,
        '--set',
        'vars.sft_save_steps=10',
      ],
      { cwd: home, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
    );
    const exited = new Promise<void>((resolve) => controller.on('exit', () => resolve()));

    // 1. The training process dies mid-training: the stage's next attempt resumes from the last checkpoint.
    await waitFor('a first checkpoint', () => checkpointStep() >= 10);
    const first = checkpointStep();
    for (const pid of trainingPids()) process.kill(pid, 'SIGKILL');
    await waitFor('attempt 2 to start', () => existsSync(path.join(stageDir, 'attempt-2.starts')));

    // 2. The controller dies while attempt 2 trains; the attempt goes on without it.
    await waitFor('attempt 2 to save a checkpoint of its own', () => checkpointStep() > first + 10);
    controller.kill('SIGKILL');
    await exited;
    const resumed = runCli(['resume', 'crash', '--home', home], { cwd: home, timeoutMs: 600_000 });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);

    const log = readFileSync(path.join(stageDir, 'log.txt'), 'utf8');
    const from = /resume: continuing from checkpoint-(\d+) \(global step (\d+)\)/.exec(log);
    expect(from, log.slice(-3000)).not.toBeNull();
    expect(Number(from![1])).toBe(Number(from![2]));
    expect(Number(from![2])).toBeGreaterThanOrEqual(first);
    expect(log).toContain('resume: no checkpoint in'); // attempt 1 started at step 0

    const report = JSON.parse(runCli(['status', 'crash', '--json', '--home', home], { cwd: home }).stdout) as {
      status: string;
      iterations: Array<{ metrics: Record<string, number>; stages: Record<string, { status: string; attempt: number }> }>;
    };
    expect(report.status).toBe('succeeded');
    const iteration = report.iterations[0]!;
    expect(iteration.stages.train_sft).toMatchObject({ status: 'succeeded', attempt: 2 });
    // The global step went on from the checkpoint: one uninterrupted training's count, not a restart's.
    expect(iteration.metrics['train_sft.steps']).toBe(STEPS);
    expect(iteration.metrics['eval.accuracy']).toBeGreaterThanOrEqual(0);
  });
});
