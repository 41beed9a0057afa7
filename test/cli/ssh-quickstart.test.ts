import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { sshdAvailable, sshOverrides } from '../support/sshd.ts';
import { stageFolders } from '../helpers/stage-folders.ts';
import { isCostMetric } from '../../src/metrics/cost-metrics.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-ssh-quickstart-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describeWith('the quickstart over SSH', sshdAvailable(), () => {
  it('runs every stage on 127.0.0.1 through ssh, each started once, with the same results as locally', { timeout: 400_000 }, () => {
    const args = ['--set', 'until.max_iterations=1', '--home', home];
    const remote = runCli(['run', RECIPE, ...sshOverrides(), '--name', 'h', ...args], { cwd: home, timeoutMs: 380_000 });
    expect(remote.code, remote.stderr + remote.stdout).toBe(0);
    const local = runCli(['run', RECIPE, '--name', 'l', ...args], { cwd: home, timeoutMs: 120_000 });
    expect(local.code, local.stderr).toBe(0);
    const report = (name: string) => JSON.parse(runCli(['status', name, '--json', '--home', home], { cwd: home }).stdout);
    expect(report('h').status).toBe('succeeded');
    // The same metrics as the local run, wall times aside (those differ between any two runs).
    const metrics = (name: string) =>
      report(name).iterations.map((it: { metrics: Record<string, number> }) =>
        Object.fromEntries(Object.entries(it.metrics).filter(([k]) => !isCostMetric(k))),
      );
    expect(metrics('h')).toEqual(metrics('l'));
    const iterations = path.join(home, 'runs/h/iterations');
    for (const it of readdirSync(iterations)) {
      for (const stage of stageFolders(path.join(iterations, it))) {
        const dir = path.join(iterations, it, stage);
        expect(JSON.parse(readFileSync(path.join(dir, 'status.json'), 'utf8')).executor, `${it}/${stage}`).toBe('ssh');
        expect(readFileSync(path.join(dir, 'attempt-1.starts'), 'utf8').trim().split('\n'), `${it}/${stage}`).toHaveLength(1);
      }
    }
  });
});
