import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { isCostMetric } from '../../src/metrics/cost-metrics.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
// A quickstart run takes ~20 s alone; room for a loaded 2-core machine (runCli's own limit is 120 s).
const RUN_TIMEOUT = 150_000;
const home = mkdtempSync(path.join(tmpdir(), 'loop-quickstart-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// The README's first command, end to end: a real SFT ⇄ RM loop whose eval accuracy rises.
describe('the quickstart', () => {
  it(
    'runs to its stop rule and improves from iteration 0 to the last',
    () => {
      const run = runCli(['run', RECIPE, '--name', 'q', '--home', home], { cwd: home, timeoutMs: 120_000 });
      expect(run.code, run.stderr).toBe(0);
      const status = runCli(['status', 'q', '--json', '--home', home], { cwd: home });
      const report = JSON.parse(status.stdout) as {
        status: string;
        stopReason: string;
        iterations: Array<{ index: number; metrics: Record<string, number> }>;
      };
      expect(report.status).toBe('succeeded');
      expect(report.stopReason).toBeTruthy();
      expect(report.iterations.length).toBeGreaterThanOrEqual(3);
      const accuracy = report.iterations.map((it) => it.metrics['eval.accuracy']);
      for (const value of accuracy) expect(value).toBeTypeOf('number');
      expect(accuracy.at(-1)!).toBeGreaterThan(accuracy[0]! + 0.2);
      // Every later iteration trained a reward model that is better than chance on held-out samples.
      for (const it of report.iterations.slice(1)) expect(it.metrics['train_rm.accuracy']).toBeGreaterThan(0.5);
      // Grade and select are the built-in kinds (loop data grade|select), replacing the hand-written scripts.
      expect(report.iterations[1]!.metrics['grade.accuracy']).toBeTypeOf('number');
      expect(report.iterations[1]!.metrics['select.kept']).toBeGreaterThan(0);
    },
    RUN_TIMEOUT,
  );

  it(
    "is deterministic for a given seed (the stages' metrics; wall times differ)",
    () => {
      const again = runCli(['run', RECIPE, '--name', 'q2', '--home', home], { cwd: home, timeoutMs: 120_000 });
      expect(again.code, again.stderr).toBe(0);
      const metrics = (name: string) =>
        (JSON.parse(runCli(['status', name, '--json', '--home', home], { cwd: home }).stdout).iterations as Array<{ metrics: object }>).map(
          (it) => Object.fromEntries(Object.entries(it.metrics).filter(([key]) => !isCostMetric(key))),
        );
      expect(metrics('q2')).toEqual(metrics('q'));
    },
    RUN_TIMEOUT,
  );

  // Issue 6's "must show": another seed, then `loop diff` agrees with `loop status` on both sides.
  it(
    'loop diff of two seeds gives the values loop status reports for their last iterations, and their difference',
    () => {
      const other = runCli(['run', RECIPE, '--name', 'r', '--set', 'seed=8', '--home', home], { cwd: home, timeoutMs: 120_000 });
      expect(other.code, other.stderr).toBe(0);
      const last = (name: string) => {
        const report = JSON.parse(runCli(['status', name, '--json', '--home', home], { cwd: home }).stdout) as {
          iterations: Array<{ index: number; metrics: Record<string, number> }>;
        };
        return report.iterations.at(-1)!;
      };
      const [q, r] = [last('q'), last('r')];
      const diff = JSON.parse(runCli(['diff', 'q', 'r', '--json', '--home', home], { cwd: home }).stdout) as {
        left: { iteration: number };
        right: { iteration: number };
        metrics: Array<{ name: string; left: number; right: number; delta: number }>;
        config: Array<{ path: string; left: unknown; right: unknown }>;
      };
      expect(diff.left.iteration).toBe(q.index);
      expect(diff.right.iteration).toBe(r.index);
      const accuracy = diff.metrics.find((m) => m.name === 'eval.accuracy')!;
      expect(accuracy.left).toBe(q.metrics['eval.accuracy']);
      expect(accuracy.right).toBe(r.metrics['eval.accuracy']);
      expect(accuracy.delta).toBeCloseTo(r.metrics['eval.accuracy']! - q.metrics['eval.accuracy']!, 10);
      // Every metric either side has, with the same values as status, timings included.
      for (const m of diff.metrics) {
        expect(m.left, m.name).toBe(q.metrics[m.name] ?? null);
        expect(m.right, m.name).toBe(r.metrics[m.name] ?? null);
      }
      expect(diff.metrics.map((m) => m.name)).toContain('time.total.seconds');
      expect(diff.config).toEqual([{ path: 'seed', left: 7, right: 8 }]);
    },
    RUN_TIMEOUT,
  );

  it('loop diff q@0 q@2: eval.accuracy improved; the timings count lower as better', () => {
    const diff = JSON.parse(runCli(['diff', 'q@0', 'q@2', '--json', '--home', home], { cwd: home }).stdout) as {
      metrics: Array<{ name: string; left: number; right: number; delta: number; better: boolean | null }>;
    };
    const accuracy = diff.metrics.find((m) => m.name === 'eval.accuracy')!;
    expect(accuracy.right).toBeGreaterThan(accuracy.left);
    expect(accuracy.better).toBe(true);
    const time = diff.metrics.find((m) => m.name === 'time.total.seconds')!;
    expect(time.better).toBe(time.delta === 0 ? null : time.delta < 0);
  });

  it('with its RL phase on, runs GRPO after the loop and shows the RL metrics in status', { timeout: 180_000 }, () => {
    const sets = ['--set', 'rl.enabled=true', '--set', 'until.max_iterations=2'];
    const run = runCli(['run', RECIPE, '--name', 'qrl', '--home', home, ...sets], { cwd: home, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(runCli(['status', 'qrl', '--json', '--home', home], { cwd: home }).stdout) as {
      status: string;
      iterations: Array<{ metrics: Record<string, number> }>;
      rl: { after: number; metrics: Record<string, number>; stages: Record<string, { status: string }> };
    };
    expect(report.status).toBe('succeeded');
    expect(report.rl.after).toBe(2);
    expect(Object.keys(report.rl.stages)).toEqual(['rl_sample', 'rl_grade', 'rl_filter', 'rl_train', 'rl_eval']);
    const rl = report.rl.metrics;
    expect(rl['rl_sample.responses']).toBe(8 * rl['rl_filter.queries']!);
    // The difficulty filter kept some queries, not all: those with 2 to 5 of 8 right.
    expect(rl['rl_filter.kept']).toBeGreaterThan(0);
    expect(rl['rl_filter.kept']).toBeLessThan(rl['rl_filter.queries']!);
    expect(rl['rl_train.queries']).toBe(rl['rl_filter.kept']);
    expect(rl['rl_train.reward_last']).toBeGreaterThan(rl['rl_train.reward_first']!);
    // GRPO's curve: each step's mean reward in $LOOP_CURVES, from the first to the last that metrics.json reports.
    const curve = readFileSync(path.join(home, 'runs/qrl/rl/rl_train/out/curves.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: number; reward: number });
    expect(curve.map((p) => p.step)).toEqual([...Array(rl['rl_train.steps']).keys()].map((i) => i + 1));
    expect([curve[0]!.reward, curve.at(-1)!.reward]).toEqual([rl['rl_train.reward_first'], rl['rl_train.reward_last']]);
    // GRPO from the last SFT policy makes it better on the held-out set (exact expected accuracy, no sampling noise).
    const last = report.iterations.at(-1)!.metrics;
    expect(rl['rl_eval.expected_accuracy']).toBeGreaterThan(last['eval.expected_accuracy']! + 0.1);
    const text = runCli(['status', 'qrl', '--home', home], { cwd: home, env: { NO_COLOR: '1' } }).stdout;
    expect(text).toMatch(/^RL phase {2}after iteration 2: rl_sample rl_grade rl_filter rl_train rl_eval$/m);
    expect(text).toMatch(/^rl_eval\.accuracy +\d/m);

    // The store: every loop iteration was finished during the run (the RL phase coming last did not keep the earlier
    // ones from their cards and refs), and the RL outputs are published once, onto the last iteration's branch.
    const store = run.stderr.match(/finished iteration \d+ in the store/g) ?? [];
    expect(new Set(store)).toEqual(new Set([0, 1, 2].map((i) => `finished iteration ${i} in the store`)));
    type Row = { iteration: number; stage: string; location: string | null; branch: string | null };
    const artifacts = () => JSON.parse(runCli(['artifacts', 'qrl', '--json', '--home', home], { cwd: home }).stdout) as Row[];
    const rlRows = (rows: Row[]) => rows.filter((r) => r.stage.startsWith('rl_'));
    expect(rlRows(artifacts()).map((r) => [r.iteration, r.stage, r.branch])).toEqual(
      ['rl_sample', 'rl_grade', 'rl_filter', 'rl_train', 'rl_eval'].map((stage) => [2, stage, 'iter-2']),
    );
    expect(artifacts().every((r) => r.location !== null)).toBe(true);
    // Publishing the run again puts nothing of the RL phase onto an earlier iteration's branch.
    expect(runCli(['publish', 'qrl', '--home', home], { cwd: home }).code).toBe(0);
    expect(rlRows(artifacts()).every((r) => r.iteration === 2)).toBe(true);
    // Asked for another iteration, `loop pull` says which one the RL phase belongs to.
    const elsewhere = runCli(['pull', 'qrl@1', 'rl_train', 'd', '--home', home], { cwd: home });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr.trim()).toBe(
      'loop: rl_train belongs to the RL phase, which ran after iteration 2 only: `loop pull qrl@2 rl_train d`',
    );
  });
});
