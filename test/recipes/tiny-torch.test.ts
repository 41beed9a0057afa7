import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWith } from '../support/optional-dependency.ts';
import { runCli } from '../helpers/run-cli.ts';

// recipes/tiny-torch.yaml end to end: a tiny MLP policy and reward model really trained with PyTorch on the CPU
// (Debian's python3-torch under /usr/bin/python3; .ci/setup/torch.sh installs it). About 4 minutes on a busy
// 2-core machine.
const torch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
const available =
  torch.status === 0
    ? true
    : `PyTorch is not importable by /usr/bin/python3 (apt-get install python3-torch): ${torch.stderr.trim().split('\n').at(-1)}`;

const home = mkdtempSync(path.join(tmpdir(), 'loop-tiny-torch-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describeWith('PyTorch (tiny-torch recipe)', available, () => {
  it('runs the loop to its stop rule with eval.accuracy rising from iteration 0 to the last', { timeout: 600_000 }, () => {
    const run = runCli(['run', path.resolve('recipes/tiny-torch.yaml'), '--name', 'tt', '--home', home], { cwd: home, timeoutMs: 590_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(runCli(['status', 'tt', '--json', '--home', home], { cwd: home }).stdout) as {
      status: string;
      iterations: Array<{ index: number; metrics: Record<string, number> }>;
    };
    expect(report.status).toBe('succeeded');
    expect(report.iterations.map((it) => it.index)).toEqual([0, 1, 2]);
    const accuracy = report.iterations.map((it) => it.metrics['eval.accuracy']!);
    expect(accuracy.at(-1)!).toBeGreaterThan(accuracy[0]! + 0.05);
    // The loop teaches the carry the seed data forgot.
    const carry = report.iterations.map((it) => it.metrics['eval.accuracy_carry']!);
    expect(carry.at(-1)!).toBeGreaterThan(carry[0]! + 0.15);
    for (const it of report.iterations.slice(1)) expect(it.metrics['train_rm.accuracy']).toBeGreaterThan(0.5);
  });
});
