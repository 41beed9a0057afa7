import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-quickstart-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// The README's first command, end to end: a real SFT ⇄ RM loop whose eval accuracy rises.
describe('the quickstart', () => {
  it('runs to its stop rule and improves from iteration 0 to the last', { timeout: 150_000 }, () => {
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
  });

  it('is deterministic for a given seed', { timeout: 150_000 }, () => {
    const again = runCli(['run', RECIPE, '--name', 'q2', '--home', home], { cwd: home, timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    const metrics = (name: string) =>
      (JSON.parse(runCli(['status', name, '--json', '--home', home], { cwd: home }).stdout).iterations as Array<{ metrics: object }>).map(
        (it) => it.metrics,
      );
    expect(metrics('q2')).toEqual(metrics('q'));
  });
});
