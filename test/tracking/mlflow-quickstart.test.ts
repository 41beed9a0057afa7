import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { MLFLOW_PYTHON, MLFLOW_URI, mlflowAvailable, readBack } from '../support/mlflow.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const root = mkdtempSync(path.join(tmpdir(), 'loop-tracking-'));
// A fresh experiment per test process: the server outlives the tests.
const EXPERIMENT = `loop-ci-${process.pid}-${Date.now()}`;
const SECRET = `hook-token-${process.pid}`;

interface Received {
  status: number;
  body: { id: string; event: string; text: string; iteration?: number };
}

// A webhook receiver that answers 500 to its first two requests, then 200: loop must retry through it.
const received: Received[] = [];
let server: Server;
let webhook = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      const status = received.length < 2 ? 500 : 200;
      received.push({ status, body: JSON.parse(text) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${SECRET}`;
});
afterAll(() => {
  server?.close();
  rmSync(root, { recursive: true, force: true });
});

function readState(runDir: string): { status: string; iteration: number; stage: string | null; controller?: { pid: number } | null } {
  try {
    return JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8'));
  } catch {
    return { status: 'none', iteration: -1, stage: null };
  }
}

// Starts the CLI in the background; resolves with its exit code and output.
function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [LOOP_BIN, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

// A port nothing listens on (it was free a moment ago).
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Every file under a folder, its text (to look for the webhook's secret).
function allText(dir: string): string {
  return readdirSync(dir)
    .map((name) => path.join(dir, name))
    .map((file) => (statSync(file).isDirectory() ? allText(file) : readFileSync(file, 'latin1')))
    .join('\n');
}

interface StatusReport {
  status: string;
  stopReason: string;
  iterations: Array<{ index: number; metrics: Record<string, number> }>;
  tracking: { pending: Record<string, number>; mlflowRunId: string | null } | null;
}

describeWith('MLflow and TensorBoard tracking of the quickstart', mlflowAvailable(), () => {
  const title =
    'kill -9 of the controller twice, resumed: one MLflow run whose history equals loop status --json, the same scalars in ' +
    'TensorBoard, each notification delivered';
  it(title, {
    timeout: 240_000,
  }, async () => {
    const home = path.join(root, 'home');
    const runDir = path.join(home, 'runs/tq');
    const env = { LOOP_NOTIFY_WEBHOOK_URL: webhook };
    const sets = [
      `tracking.mlflow.tracking_uri=${MLFLOW_URI}`,
      `tracking.mlflow.experiment=${EXPERIMENT}`,
      'tracking.mlflow.stage_runs=[train_sft]',
      // train_sft logs with MLflow's own client first (as report_to="mlflow" would), then trains as usual.
      `stages.train_sft.command=[${MLFLOW_PYTHON}, ${path.resolve('test/tracking/fixtures/log-to-mlflow.py')}, node, ` +
        '"{{ recipe_dir }}/quickstart/train-sft.mjs", --data, "{{ select.data ?? inputs.sft }}", --out, "{{ out }}/policy.json"]',
      'tracking.tensorboard={}',
      'notify.webhook={}',
    ].flatMap((s) => ['--set', s]);
    const outputs: string[] = [];
    // Killed once after iteration 1 finished (its points queued, maybe sent), once in the middle of iteration 3.
    const killAt = [
      (s: ReturnType<typeof readState>) => s.iteration >= 2,
      (s: ReturnType<typeof readState>) => s.iteration === 3 && s.stage === 'select',
    ];
    for (const [round, when] of killAt.entries()) {
      const run = start(round === 0 ? ['run', RECIPE, '--name', 'tq', '--home', home, ...sets] : ['resume', 'tq', '--home', home], env);
      let done = false;
      void run.exited.then(() => (done = true));
      while (!done) {
        const state = readState(runDir);
        if (state.status === 'running' && state.controller?.pid === run.child.pid && when(state)) break;
        await sleep(10);
      }
      expect(done, run.output()).toBe(false);
      run.child.kill('SIGKILL');
      await run.exited;
      outputs.push(run.output());
    }
    const last = start(['resume', 'tq', '--home', home], env);
    expect(await last.exited, last.output()).toBe(0);
    outputs.push(last.output());

    const report = JSON.parse(runCli(['status', 'tq', '--json', '--home', home], { cwd: root }).stdout) as StatusReport;
    expect(report.status).toBe('succeeded');
    expect(report.tracking?.pending).toEqual({ mlflow: 0, tensorboard: 0, notify: 0 });

    const back = readBack(EXPERIMENT, 'tq', path.join(runDir, 'tensorboard'));
    // One MLflow run for the loop run, across three controllers.
    expect(back.runs.map((r) => r.id)).toEqual([report.tracking!.mlflowRunId]);
    const [mlflowRun] = back.runs;
    expect(mlflowRun!.status).toBe('FINISHED');
    expect(mlflowRun!.tags['loop.stop_reason']).toBe(report.stopReason);
    expect(mlflowRun!.params.seed).toBe('7');
    expect(mlflowRun!.params.recipe_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mlflowRun!.params['vars.top_k']).toBe('2');
    // Its metric history equals the iterations' metrics, one point per iteration and metric: none lost, none twice.
    const expected: Record<string, Array<[number, number]>> = {};
    for (const it of report.iterations)
      for (const [key, value] of Object.entries(it.metrics)) (expected[key] ??= []).push([it.index, value]);
    const history = Object.fromEntries(
      Object.entries(back.history).map(([key, points]) => [
        key,
        points.map(([step, value]) => [step, value]).sort((a, b) => a[0]! - b[0]!),
      ]),
    );
    expect(history).toEqual(expected);
    // train_sft of each iteration had a child run (MLFLOW_RUN_ID), ended when the stage was.
    expect(back.children.map((c) => c.stage).sort()).toEqual(report.iterations.map(() => 'train_sft'));
    for (const child of back.children) {
      expect(child).toEqual({ status: 'FINISHED', parent: mlflowRun!.id, stage: 'train_sft', metrics: { 'train/loss': 0.5 } });
    }

    // TensorBoard: one event file, the same scalars (stored as 32-bit floats), each step once.
    expect(back.tensorboard!.files).toHaveLength(1);
    expect(Object.keys(back.tensorboard!.scalars).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, points] of Object.entries(expected)) {
      const board = back.tensorboard!.scalars[key]!;
      expect(board.map(([step]) => step)).toEqual(points.map(([step]) => step));
      for (const [i, [, value]] of points.entries()) expect(board[i]![1]).toBeCloseTo(value, 4);
    }

    // The webhook: the 500s were retried; every event was accepted, a kill -9 between a delivery and its record
    // being the only way one arrives twice.
    expect(received.slice(0, 2).map((r) => r.status)).toEqual([500, 500]);
    const accepted = received.filter((r) => r.status === 200).map((r) => r.body.id);
    const wanted = [...report.iterations.map((it) => `notify:iteration_finished:${it.index}`), 'target_reached', 'run_finished'];
    for (const id of wanted)
      expect(
        accepted.some((a) => a === id || a.startsWith(`notify:${id}:`)),
        id,
      ).toBe(true);
    expect(accepted.length - new Set(accepted).size).toBeLessThanOrEqual(killAt.length);
    const finished = received.find((r) => r.body.event === 'iteration_finished' && r.body.iteration === 4)!;
    expect(finished.body.text).toMatch(/^loop tq: iteration 4 finished: .*eval\.accuracy = /);
    // The webhook's URL is a secret: not in the run folder, not in any output.
    expect(allText(runDir)).not.toContain(SECRET);
    for (const output of outputs) expect(output).not.toContain(SECRET);
  });

  it('a tracker that is down does not stop the run; its points wait in the outbox and `loop resume` sends them', {
    timeout: 120_000,
  }, async () => {
    const home = path.join(root, 'down');
    const experiment = `${EXPERIMENT}-down`;
    const sets = ['tracking.mlflow={}', `tracking.mlflow.experiment=${experiment}`, 'until.max_iterations=1'].flatMap((s) => ['--set', s]);
    // A port that was free a moment ago: MLflow is "down" for the whole run.
    const down = `http://127.0.0.1:${await freePort()}`;
    const run = runCli(['run', RECIPE, '--name', 'td', '--home', home, ...sets], {
      cwd: root,
      env: { MLFLOW_TRACKING_URI: down },
      timeoutMs: 120_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain(
      `tracking: MLflow at ${down}: experiments/get-by-name: network error ECONNREFUSED; kept in the outbox`,
    );
    const pending = JSON.parse(runCli(['status', 'td', '--json', '--home', home], { cwd: root }).stdout) as StatusReport;
    // Params, iterations 0 and 1, the final status.
    expect(pending.tracking!.pending.mlflow).toBe(4);
    expect(runCli(['status', 'td', '--home', home], { cwd: root }).stdout).toContain('tracking: 4 pending (mlflow 4)');

    // Back up (MLFLOW_TRACKING_URI now names the real server): resume of the finished run sends what waited.
    const resumed = runCli(['resume', 'td', '--home', home], { cwd: root, env: { MLFLOW_TRACKING_URI: MLFLOW_URI } });
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(runCli(['status', 'td', '--json', '--home', home], { cwd: root }).stdout) as StatusReport;
    expect(report.tracking!.pending.mlflow).toBe(0);
    const back = readBack(experiment, 'td');
    expect(back.runs).toHaveLength(1);
    expect(back.runs[0]!.status).toBe('FINISHED');
    expect(back.history['eval.accuracy']!.map(([step, value]) => [step, value])).toEqual(
      report.iterations.map((it) => [it.index, it.metrics['eval.accuracy']]),
    );
  });

  it("with the RL phase on, its metrics reach MLflow and TensorBoard at the last iteration's step", { timeout: 120_000 }, () => {
    const home = path.join(root, 'rl');
    const experiment = `${EXPERIMENT}-rl`;
    const sets = [
      `tracking.mlflow.tracking_uri=${MLFLOW_URI}`,
      `tracking.mlflow.experiment=${experiment}`,
      'tracking.tensorboard={}',
      'rl.enabled=true',
      'until.max_iterations=1',
    ].flatMap((s) => ['--set', s]);
    const run = runCli(['run', RECIPE, '--name', 'trl', '--home', home, ...sets], { cwd: root, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(runCli(['status', 'trl', '--json', '--home', home], { cwd: root }).stdout) as StatusReport & {
      rl: { metrics: Record<string, number> };
    };
    expect(report.tracking!.pending).toEqual({ mlflow: 0, tensorboard: 0, notify: 0 });
    const last = report.iterations.at(-1)!.index;
    expect(Object.keys(report.rl.metrics)).toContain('rl_eval.accuracy');
    // Every point: each iteration's metrics at its step, and the RL phase's once, at the last iteration's step.
    const expected: Record<string, Array<[number, number]>> = {};
    for (const it of report.iterations)
      for (const [key, value] of Object.entries(it.metrics)) (expected[key] ??= []).push([it.index, value]);
    for (const [key, value] of Object.entries(report.rl.metrics)) (expected[key] ??= []).push([last, value]);
    const back = readBack(experiment, 'trl', path.join(home, 'runs/trl/tensorboard'));
    const history = Object.fromEntries(
      Object.entries(back.history).map(([key, points]) => [
        key,
        points.map(([step, value]) => [step, value]).sort((a, b) => a[0]! - b[0]!),
      ]),
    );
    expect(history).toEqual(expected);
    expect(Object.keys(back.tensorboard!.scalars).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(report.rl.metrics)) {
      expect(back.tensorboard!.scalars[key]!.map(([step]) => step)).toEqual([last]);
      expect(back.tensorboard!.scalars[key]![0]![1]).toBeCloseTo(value, 4);
    }
  });
});
