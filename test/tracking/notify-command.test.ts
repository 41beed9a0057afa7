import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const FIXTURES = path.resolve('test/tracking/fixtures');
const root = mkdtempSync(path.join(tmpdir(), 'loop-notify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Notification {
  env: string;
  id: string;
  event: string;
  text: string;
  stage?: string;
  logTail?: string[];
}

const read = (file: string): Notification[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Notification);

describe('notify: a command', () => {
  it('is told when a stage failed after its retries, with its log tail, once across resumes; the stage had W&B grouping variables', () => {
    const home = path.join(root, 'home');
    const log = path.join(root, 'notifications.jsonl');
    const sets = [
      `notify.command=[node, ${path.join(FIXTURES, 'record-notification.mjs')}, ${log}]`,
      'notify.on=[stage_failed, run_finished]',
      `stages.train_sft.command=[node, ${path.join(FIXTURES, 'fail-with-env.mjs')}]`,
    ].flatMap((s) => ['--set', s]);
    const run = runCli(['run', RECIPE, '--name', 'nf', '--home', home, ...sets], { cwd: root });
    expect(run.code, run.stderr).toBe(4);
    const [failed, ...rest] = read(log);
    expect(rest).toEqual([]);
    expect(failed!.env).toBe('stage_failed');
    expect(failed!.event).toBe('stage_failed');
    expect(failed!.stage).toBe('train_sft');
    expect(failed!.logTail).toContain('the last words of a failing stage');
    expect(failed!.text).toMatch(/^loop nf: stage train_sft of iteration 0 failed: /);
    const printed = failed!.logTail!.find((line) => line.startsWith('{'))!;
    expect(JSON.parse(printed)).toEqual({
      WANDB_RUN_GROUP: 'nf',
      WANDB_JOB_TYPE: 'train_sft',
      WANDB_NAME: 'nf-iter-0-train_sft',
      MLFLOW_RUN_ID: null,
    });

    // Resumed, it fails again: a new failure is a new event; the first is not sent again.
    expect(runCli(['resume', 'nf', '--home', home], { cwd: root }).code).toBe(4);
    const all = read(log);
    expect(all).toHaveLength(2);
    expect(new Set(all.map((n) => n.id)).size).toBe(2);
    const status = JSON.parse(runCli(['status', 'nf', '--json', '--home', home], { cwd: root }).stdout);
    expect(status.tracking.pending).toEqual({ mlflow: 0, tensorboard: 0, notify: 0 });
  });

  it('is told when the run paused (Ctrl-C), each finished iteration with its metrics, and a stop without a controller', async () => {
    const home = path.join(root, 'pause');
    const log = path.join(root, 'paused.jsonl');
    const sets = [
      `notify.command=[node, ${path.join(FIXTURES, 'record-notification.mjs')}, ${log}]`,
      'notify.on=[paused, iteration_finished, run_finished]',
    ].flatMap((s) => ['--set', s]);
    const child = spawn(process.execPath, [LOOP_BIN, 'run', RECIPE, '--name', 'np', '--home', home, ...sets], { cwd: root });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const state = () => {
      try {
        return JSON.parse(readFileSync(path.join(home, 'runs/np/state.json'), 'utf8')) as { iteration: number; status: string };
      } catch {
        return undefined;
      }
    };
    while ((state()?.iteration ?? 0) < 1) await sleep(10);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const [finished, paused, ...rest] = read(log);
    expect(rest).toEqual([]);
    expect(finished).toMatchObject({ env: 'iteration_finished', event: 'iteration_finished', iteration: 0, deltas: {} });
    expect(finished!.text).toMatch(/^loop np: iteration 0 finished: .*eval\.accuracy = 0\.\d+/);
    expect(paused).toMatchObject({ env: 'paused', event: 'paused', iteration: 1 });
    expect(paused!.text).toMatch(/^loop np: paused at iteration 1, stage \w+; `loop resume np` continues it$/);
    // `loop stop` of the paused run: no controller is running, the stop is told all the same.
    expect(runCli(['stop', 'np', '--home', home], { cwd: root }).code).toBe(0);
    const stopped = read(log).at(-1)!;
    expect(stopped).toMatchObject({ env: 'run_finished', event: 'run_finished', status: 'stopped' });
    expect(read(log)).toHaveLength(3);
  });

  it('is told, when a run with an RL phase succeeded, how the RL policy did', () => {
    const home = path.join(root, 'rl');
    const log = path.join(root, 'rl.jsonl');
    const sets = [
      `notify.command=[node, ${path.join(FIXTURES, 'record-notification.mjs')}, ${log}]`,
      'notify.on=[run_finished]',
      'rl.enabled=true',
      'until.max_iterations=1',
    ].flatMap((s) => ['--set', s]);
    const run = runCli(['run', RECIPE, '--name', 'nrl', '--home', home, ...sets], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(runCli(['status', 'nrl', '--json', '--home', home], { cwd: root }).stdout);
    const [finished, ...rest] = read(log) as Array<Notification & { rl?: Record<string, number>; status?: string }>;
    expect(rest).toEqual([]);
    expect(finished).toMatchObject({ event: 'run_finished', status: 'succeeded', rl: status.rl.metrics });
    expect(finished!.text).toContain(`; RL phase: rl_eval.accuracy = ${status.rl.metrics['rl_eval.accuracy']}`);
  });
});
