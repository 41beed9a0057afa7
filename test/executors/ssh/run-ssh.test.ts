import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { createSshExecutor } from '../../../src/executors/ssh/run-ssh.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { sshdAvailable, sshTarget } from '../../support/sshd.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const executor = createSshExecutor();
const HOSTILE = ['; rm -rf / $(touch pwned) \'q\' "dq" two  spaces', '', '$HOME'];
let counter = 0;

// One attempt on the test sshd, in its own stage folder.
function sshJob(argv: string[], extra: Partial<StageJob> = {}): StageJob {
  const stageDir = path.join(dir, `stage-${++counter}`);
  return {
    argv,
    cwd: dir,
    env: { LOOP_STAGE: 'test' },
    logFile: path.join(stageDir, 'log.txt'),
    controlPrefix: path.join(stageDir, 'attempt-1'),
    executor: { kind: 'ssh', ...sshTarget(), setup: ['export FROM_SETUP=yes'], sharedFilesystem: true },
    graceSeconds: 2,
    ...extra,
  };
}

// Whether any process on this machine has MARKER in its command line (the remote host is this machine).
const running = (marker: string) => spawnSync('pgrep', ['-f', marker]).status === 0;

describeWith('the SSH executor against a real sshd on 127.0.0.1', sshdAvailable(), () => {
  it('runs a stage detached on the host: arguments unchanged, setup and env applied, exit code and log back', {
    timeout: 90_000,
  }, async () => {
    const job = sshJob([
      'node',
      '-e',
      'console.log(JSON.stringify([process.argv.slice(1), process.env.LOOP_STAGE, process.env.FROM_SETUP])); process.exit(3)',
      ...HOSTILE,
    ]);
    const result = await executor.run(job);
    expect(result).toMatchObject({ ok: false, exitCode: 3, signal: null, timedOut: false, canceled: false });
    expect(result.pid).toBeTypeOf('number');
    expect(JSON.parse(readFileSync(job.logFile, 'utf8'))).toEqual([HOSTILE, 'test', 'yes']);
    expect(readFileSync(`${job.controlPrefix}.exit`, 'utf8').trim()).toBe('3');
  });

  it('cancellation kills the remote process group, grandchildren included', { timeout: 90_000 }, async () => {
    const marker = `loop-ssh-cancel-${process.pid}`;
    const controller = new AbortController();
    const job = sshJob(['bash', '-c', `sleep 300 & wait # ${marker}`], { signal: controller.signal });
    const result = executor.run(job);
    for (let i = 0; i < 600 && !running(marker); i++) await sleep(100);
    expect(running(marker)).toBe(true);
    controller.abort();
    expect(await result).toMatchObject({ ok: false, canceled: true, timedOut: false });
    expect(running(marker)).toBe(false);
  });

  it('stops a stage past its time limit', { timeout: 90_000 }, async () => {
    const result = await executor.run(sshJob(['sleep', '300'], { timeoutSeconds: 2 }));
    expect(result).toMatchObject({ ok: false, timedOut: true, canceled: false });
  });

  it('a restarted controller re-attaches to a stage still running on the host and collects it, without starting it again', {
    timeout: 90_000,
  }, async () => {
    const job = sshJob(['bash', '-c', 'sleep 3; echo finished']);
    const first = executor.run(job);
    for (let i = 0; i < 600 && spawnSync('test', ['-s', `${job.controlPrefix}.starts`]).status !== 0; i++) await sleep(100);
    // A second controller (a fresh executor) follows the same attempt while the first still waits on it.
    const reattached = await createSshExecutor().reattach!(job, new Date().toISOString());
    expect(reattached).toMatchObject({ ok: true, exitCode: 0 });
    expect(await first).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(`${job.controlPrefix}.starts`, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readFileSync(job.logFile, 'utf8')).toBe('finished\n');
  });

  it('re-attaches to nothing when the attempt never started', { timeout: 60_000 }, async () => {
    expect(await executor.reattach!(sshJob(['true']), new Date().toISOString())).toBeUndefined();
  });

  it('reports a host it cannot reach as data', { timeout: 60_000 }, async () => {
    const job = sshJob(['true']);
    const result = await executor.run({
      ...job,
      executor: { ...(job.executor as Extract<StageJob['executor'], { kind: 'ssh' }>), port: 1 },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(
      /^could not start the stage on 127\.0\.0\.1 over ssh: ssh: connect to host 127\.0\.0\.1 port 1: Connection refused/,
    );
  });
});
