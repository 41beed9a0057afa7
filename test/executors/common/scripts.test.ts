import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellCommand } from '../../../src/executors/common/shell-quote.ts';
import { decodeExitStatus } from '../../../src/executors/common/attempt-files.ts';
import { wrapperScript } from '../../../src/executors/common/wrapper-script.ts';
import { batchScript } from '../../../src/executors/slurm/batch-script.ts';
import { parseLoginHost } from '../../../src/executors/common/over-ssh.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-scripts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOSTILE = ['; rm -rf / $(touch pwned) \'q\' "dq" two  spaces', '', '*', '$HOME', 'a\nb'];

describe('the wrapper as shell text', () => {
  it('passes every argument through sh unchanged, records the start and the exit status', () => {
    const prefix = path.join(dir, 'attempt-1');
    const script = wrapperScript({
      prefix,
      env: { LOOP_X: "it's" },
      setup: ['export FROM_SETUP=yes'],
      argv: [
        'node',
        '-e',
        'console.log(JSON.stringify([process.argv.slice(1), process.env.LOOP_X, process.env.FROM_SETUP])); process.exit(3)',
        ...HOSTILE,
      ],
    });
    const result = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual([HOSTILE, "it's", 'yes']);
    expect(readFileSync(`${prefix}.exit`, 'utf8').trim()).toBe('3');
    expect(readFileSync(`${prefix}.starts`, 'utf8').trim()).toMatch(/^\d+$/);
    expFileAbsent(path.join(dir, 'pwned'));
  });

  it('fails with 127 and says so when the program or a setup line fails', () => {
    const prefix = path.join(dir, 'attempt-2');
    const missing = spawnSync('sh', ['-c', wrapperScript({ prefix, env: {}, setup: [], argv: ['no-such-program-xyz'] })], {
      encoding: 'utf8',
    });
    expect([missing.status, missing.stderr.trim()]).toEqual([127, 'loop: program not found: no-such-program-xyz']);
    const setup = spawnSync('sh', ['-c', wrapperScript({ prefix, env: {}, setup: ['false'], argv: ['true'] })], { encoding: 'utf8' });
    expect([setup.status, setup.stderr.trim()]).toEqual([127, 'loop: setup line failed: false']);
    expect(readFileSync(`${prefix}.exit`, 'utf8').trim()).toBe('127');
  });

  it('tells an exit status above 128 that the program chose from a signal that killed it, with Perl or without', () => {
    const run = (argv: string[], n: number, path_ = process.env.PATH!) => {
      const prefix = path.join(dir, `attempt-exact-${n}`);
      spawnSync('sh', ['-c', wrapperScript({ prefix, env: {}, setup: [], argv })], {
        encoding: 'utf8',
        env: { ...process.env, PATH: path_ },
      });
      return decodeExitStatus(Number(readFileSync(`${prefix}.exit`, 'utf8').trim()));
    };
    expect(run(['sh', '-c', 'exit 137'], 1)).toEqual({ exitCode: 137, signal: null });
    expect(run(['sh', '-c', 'kill -KILL $$'], 2)).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(run(['sh', '-c', 'exit 3'], 3)).toEqual({ exitCode: 3, signal: null });
    // Without Perl on the host the shell's $? is all there is: 128+N reads as signal N, as before.
    const noPerl = mkdtempSync(path.join(tmpdir(), 'loop-noperl-'));
    for (const tool of ['sh', 'cat', 'rm'])
      symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), path.join(noPerl, tool));
    expect(run(['sh', '-c', 'exit 137'], 4, noPerl)).toEqual({ exitCode: null, signal: 'SIGKILL' });
    rmSync(noPerl, { recursive: true, force: true });
  });

  it('quotes a command line so that sh gives back the same words', () => {
    const echoed = spawnSync('sh', ['-c', `printf '%s\\0' ${shellCommand(HOSTILE)}`], { encoding: 'utf8' });
    expect(echoed.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });
});

describe('the batch script', () => {
  it("holds the deterministic name, the appended log, the recipe's options and resources, and a minute limit", () => {
    const script = batchScript(
      {
        argv: ['python', 'train.py'],
        cwd: '/work',
        env: { LOOP_STAGE: 'train_sft' },
        logFile: '/runs/r/log.txt',
        timeoutSeconds: 90,
        resources: { gpus: 8, cpus: 16, memory: '64G' },
      },
      {
        kind: 'slurm',
        partition: 'gpu',
        account: 'lab',
        qos: 'high',
        nodes: 2,
        memory: '512G',
        sbatchArgs: ['--exclusive'],
        setup: ['module load cuda'],
        sharedFilesystem: true,
      },
      'loop-r-i1-train_sft-a1-abcd1234',
      '/runs/r/attempt-1',
    );
    const options = script
      .split('\n')
      .filter((l) => l.startsWith('#SBATCH '))
      .map((l) => l.slice(8));
    expect(options).toEqual([
      '--job-name=loop-r-i1-train_sft-a1-abcd1234',
      '--output=/runs/r/log.txt',
      '--open-mode=append',
      '--chdir=/work',
      '--partition=gpu',
      '--account=lab',
      '--qos=high',
      '--nodes=2',
      '--gpus-per-node=8',
      '--cpus-per-task=16',
      '--mem=512G',
      '--time=2',
      '--exclusive',
    ]);
    expect(script).toContain('module load cuda || {');
  });
});

describe('parseLoginHost', () => {
  it('reads host, user@host and user@host:port', () => {
    expect(parseLoginHost('login1')).toEqual({ host: 'login1' });
    expect(parseLoginHost('me@login1:2222')).toEqual({ host: 'login1', user: 'me', port: 2222 });
  });
});

function expFileAbsent(file: string): void {
  expect(() => readFileSync(file)).toThrow();
}
