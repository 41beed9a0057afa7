import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { LOOP_BIN, runCli } from '../helpers/run-cli.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { sshdAvailable, sshOverrides } from '../support/sshd.ts';
import { stageFolders } from '../helpers/stage-folders.ts';
import { isCostMetric } from '../../src/metrics/cost-metrics.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-ssh-transfer-'));
// The host's working directory: another folder, so nothing is found at the run folder's own path by accident.
const workdir = mkdtempSync(path.join(tmpdir(), 'loop-ssh-transfer-host-'));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(workdir, { recursive: true, force: true });
});

const BUILTIN = new Set(['grade', 'select']);

// Starts a controller in the background (no terminal), resolved when it exits.
function controller(args: string[]): { kill: () => Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [LOOP_BIN, ...args], { cwd: home, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    exited,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

// Polls until the condition holds (every 20 ms, up to the limit); false when it never did.
async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  for (const end = Date.now() + limitMs; Date.now() < end; await sleep(20)) if (condition()) return true;
  return false;
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

describeWith('the quickstart over SSH without a shared filesystem', sshdAvailable(), () => {
  it('copies inputs and outputs, survives kill -9 mid-stage and mid-copy, runs no stage twice, and matches the local run', {
    timeout: 600_000,
  }, async () => {
    const common = ['--set', 'until.max_iterations=1', '--home', home];
    const remote = [...sshOverrides(), '--set', 'executor.shared_filesystem=false', '--set', `executor.workdir=${workdir}`];
    const runDir = path.join(home, 'runs/h');
    const stage = (s: string) => path.join(runDir, 'iterations/1', s);
    const onHost = (file: string) => path.join(workdir, file);

    // 1. kill -9 while iteration 1's sample_sft runs on the host (started there, no exit status yet).
    const first = controller(['run', RECIPE, ...remote, '--name', 'h', ...common]);
    const hostPrefix = onHost(path.join(stage('sample_sft'), 'attempt-1'));
    const running = await until(() => existsSync(`${hostPrefix}.starts`) && !existsSync(`${hostPrefix}.exit`), 300_000);
    expect(running, 'sample_sft never ran on the host').toBe(true);
    await first.kill();

    // 2. resume, and kill -9 while the outputs of iteration 1's eval come back (the stage has ended on the host).
    const second = controller(['resume', 'h', '--home', home]);
    const copying = await until(() => read(path.join(stage('eval'), 'log.txt')).includes('=== loop: copying the outputs back'), 300_000);
    expect(copying, 'eval never reached its copy-back').toBe(true);
    await second.kill();
    expect(JSON.parse(read(path.join(stage('eval'), 'status.json'))).status).toBe('running');
    expect(existsSync(onHost(path.join(stage('eval'), 'attempt-1.exit')))).toBe(true);

    // 3. resume to the end; then the same recipe locally.
    const resumed = runCli(['resume', 'h', '--home', home], { cwd: home, timeoutMs: 300_000 });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    const local = runCli(['run', RECIPE, '--name', 'l', ...common], { cwd: home, timeoutMs: 120_000 });
    expect(local.code, local.stderr).toBe(0);

    const report = (name: string) => JSON.parse(runCli(['status', name, '--json', '--home', home], { cwd: home }).stdout);
    expect(report('h').status).toBe('succeeded');
    const metrics = (name: string) =>
      report(name).iterations.map((it: { metrics: Record<string, number> }) =>
        Object.fromEntries(Object.entries(it.metrics).filter(([k]) => !isCostMetric(k))),
      );
    expect(metrics('h')).toEqual(metrics('l'));

    // Each stage ran once, where it should: command stages on the host (their copies under the working directory),
    // built-in kinds on the controller; both interrupted stages were collected, not run again.
    for (const it of readdirSync(path.join(runDir, 'iterations'))) {
      for (const name of stageFolders(path.join(runDir, 'iterations', it))) {
        const dir = path.join(runDir, 'iterations', it, name);
        const record = JSON.parse(read(path.join(dir, 'status.json')));
        expect([record.status, record.executor, record.attempts.length], `${it}/${name}`).toEqual(['succeeded', 'ssh', 1]);
        expect(read(path.join(dir, 'attempt-1.starts')).trim().split('\n'), `${it}/${name}`).toHaveLength(1);
        const log = read(path.join(dir, 'log.txt'));
        if (BUILTIN.has(name)) {
          expect(log, `${it}/${name}`).toContain('=== loop: built-in kind: runs on the controller');
          expect(existsSync(onHost(path.join(dir, 'attempt-1.starts'))), `${it}/${name}`).toBe(false);
        } else {
          expect(
            read(onHost(path.join(dir, 'attempt-1.starts')))
              .trim()
              .split('\n'),
            `${it}/${name}`,
          ).toHaveLength(1);
          expect(log, `${it}/${name}`).toContain('=== loop: outputs copied back and checked');
          for (const file of readdirSync(path.join(dir, 'out'))) {
            expect(statSync(path.join(dir, 'out', file)).size, `${it}/${name}/${file}`).toBe(
              statSync(onHost(path.join(dir, 'out', file))).size,
            );
          }
        }
      }
    }
    expect(read(path.join(stage('sample_sft'), 'log.txt'))).toContain('=== loop: controller restarted; collected attempt 1');
    expect(read(path.join(stage('eval'), 'log.txt'))).toContain('=== loop: controller restarted; collected attempt 1');
    // The stages' own output reached the controller's log.
    expect(read(path.join(stage('train_sft'), 'log.txt'))).toMatch(/train-sft: \d+ examples/);
  });
});
