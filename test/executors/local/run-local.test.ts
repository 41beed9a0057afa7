import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { createLocalExecutor } from '../../../src/executors/local/run-local.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const node = process.execPath;
const executor = createLocalExecutor();
// Wrapped jobs (a control prefix, as every stage has) go through the launcher; plain ones are spawned here.
let wrapped = false;
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

// A fresh folder per test holds the log and anything the program might create.
function makeJob(argv: string[], overrides: Partial<StageJob> = {}): StageJob {
  const cwd = mkdtempSync(join(tmpdir(), 'loop-local-'));
  folders.push(cwd);
  return {
    argv,
    cwd,
    env: {},
    logFile: join(cwd, 'logs', 'stage.log'),
    ...(wrapped ? { controlPrefix: join(cwd, 'attempt-1') } : {}),
    ...overrides,
  };
}

const readLog = (job: StageJob) => readFileSync(job.logFile, 'utf8');

// Waits until `check` holds, so tests cancel only once the program is really running.
async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

const logSays = (job: StageJob, text: string) => () => existsSync(job.logFile) && readLog(job).includes(text);

// Dead means gone, or a zombie that the container's PID 1 has not reaped yet.
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

describe.each([
  ['spawned from the controller', false],
  ['behind the wrapper, through the launcher', true],
])('local executor, %s', (_name, isWrapped) => {
  beforeAll(() => void (wrapped = isWrapped));

  it('is of kind local', () => {
    expect(executor.kind).toBe('local');
  });

  it('runs a program and appends both streams to the log', async () => {
    const job = makeJob([node, fixture('success.js')]);
    const result = await executor.run(job);
    expect(result).toMatchObject({ ok: true, exitCode: 0, signal: null, timedOut: false, canceled: false });
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.pid).toBeTypeOf('number');
    expect(Date.parse(result.endedAt)).toBeGreaterThanOrEqual(Date.parse(result.startedAt));
    expect(readLog(job)).toContain('hello from stdout\n');
    expect(readLog(job)).toContain('hello from stderr\n');
  });

  it('reports a non-zero exit code as data', async () => {
    const result = await executor.run(makeJob([node, fixture('exit.js'), '3']));
    expect(result).toMatchObject({ ok: false, exitCode: 3, signal: null, timedOut: false, canceled: false });
    expect(result.error).toBeUndefined();
  });

  it('reports an exit code above 128 that the program chose as an exit code, not a signal', async () => {
    const result = await executor.run(makeJob([node, fixture('exit.js'), '130']));
    expect(result).toMatchObject({ ok: false, exitCode: 130, signal: null, timedOut: false, canceled: false });
  });

  it('reports the signal that killed the program', async () => {
    const result = await executor.run(makeJob([node, fixture('self-signal.js'), 'SIGINT']));
    expect(result).toMatchObject({ ok: false, exitCode: null, signal: 'SIGINT', timedOut: false, canceled: false });
  });

  it('cancels through an AbortSignal with SIGTERM', async () => {
    const controller = new AbortController();
    const job = makeJob([node, fixture('forever.js')], { signal: controller.signal });
    const running = executor.run(job);
    await waitFor(logSays(job, 'ready'));
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ ok: false, exitCode: null, signal: 'SIGTERM', timedOut: false, canceled: true });
  });

  it('does not start a job whose signal is already aborted', async () => {
    const job = makeJob([node, fixture('success.js')], { signal: AbortSignal.abort() });
    const result = await executor.run(job);
    expect(result).toMatchObject({ ok: false, canceled: true, pid: null, error: 'canceled before start' });
    expect(existsSync(job.logFile)).toBe(false);
  });

  it('times out with SIGTERM', async () => {
    const result = await executor.run(makeJob([node, fixture('forever.js')], { timeoutSeconds: 0.3 }));
    expect(result).toMatchObject({ ok: false, exitCode: null, signal: 'SIGTERM', timedOut: true, canceled: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('sends SIGKILL after the grace period when SIGTERM is ignored', async () => {
    // The time limit leaves Node time to install its handler even on a loaded machine.
    const job = makeJob([node, fixture('ignore-sigterm.js')], { timeoutSeconds: 2, graceSeconds: 0.3 });
    const result = await executor.run(job);
    expect(result).toMatchObject({ ok: false, signal: 'SIGKILL', timedOut: true });
    expect(result.durationMs).toBeGreaterThanOrEqual(2250);
    expect(readLog(job)).toContain('got SIGTERM, ignoring it');
  });

  it('kills grandchildren with the process group on cancel', async () => {
    const controller = new AbortController();
    const job = makeJob([], { signal: controller.signal });
    const pidFile = join(job.cwd, 'grandchild.pid');
    job.argv = ['bash', fixture('spawn-grandchild.sh'), pidFile];
    const running = executor.run(job);
    await waitFor(() => existsSync(pidFile));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(isDead(grandchild)).toBe(false);
    controller.abort();
    const result = await running;
    expect(result.canceled).toBe(true);
    expect(isDead(grandchild)).toBe(true);
  });

  it('SIGKILLs a grandchild that ignores SIGTERM after its parent has exited', async () => {
    const controller = new AbortController();
    const job = makeJob([], { signal: controller.signal, graceSeconds: 0.3 });
    const pidFile = join(job.cwd, 'grandchild.pid');
    job.argv = ['bash', fixture('spawn-stubborn-grandchild.sh'), pidFile];
    const running = executor.run(job);
    await waitFor(() => existsSync(pidFile));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ canceled: true, signal: 'SIGTERM' });
    expect(isDead(grandchild)).toBe(true);
  });

  it('returns a missing program as data instead of throwing', async () => {
    const result = await executor.run(makeJob(['loop-no-such-program-xyz', '--flag']));
    expect(result).toMatchObject({
      ok: false,
      exitCode: null,
      signal: null,
      pid: null,
      timedOut: false,
      canceled: false,
      error: 'program not found: loop-no-such-program-xyz',
    });
  });

  it('returns a missing working directory as data', async () => {
    const job = makeJob([node, fixture('success.js')]);
    const result = await executor.run({ ...job, cwd: join(job.cwd, 'missing') });
    expect(result).toMatchObject({ ok: false, pid: null, error: `working directory not found: ${join(job.cwd, 'missing')}` });
  });

  it('passes a hostile argument to the program unchanged, without a shell', async () => {
    const hostile = `a; rm -rf x $(touch pwned) \`touch pwned2\` "double" 'single' two  spaces\nsecond line`;
    const job = makeJob([node, fixture('echo-args.js'), hostile, 'plain']);
    writeFileSync(join(job.cwd, 'x'), 'keep me');
    const result = await executor.run(job);
    expect(result.ok).toBe(true);
    expect(JSON.parse(readLog(job))).toEqual([hostile, 'plain']);
    expect(existsSync(join(job.cwd, 'pwned'))).toBe(false);
    expect(existsSync(join(job.cwd, 'pwned2'))).toBe(false);
    expect(readFileSync(join(job.cwd, 'x'), 'utf8')).toBe('keep me');
  });

  it('adds job.env to the inherited environment', async () => {
    const job = makeJob([node, fixture('print-env.js'), 'LOOP_TEST_VALUE', 'PATH'], {
      env: { LOOP_TEST_VALUE: 'with spaces; and $(symbols)' },
    });
    await executor.run(job);
    expect(JSON.parse(readLog(job))).toEqual({ LOOP_TEST_VALUE: 'with spaces; and $(symbols)', PATH: process.env.PATH });
  });

  it('appends to the log across runs', async () => {
    const job = makeJob([node, fixture('success.js')]);
    await executor.run(job);
    await executor.run(job);
    expect(readLog(job).match(/hello from stdout/g)).toHaveLength(2);
    expect(readLog(job).match(/hello from stderr/g)).toHaveLength(2);
  });

  it('rejects a malformed job, naming the option', async () => {
    await expect(executor.run(makeJob([]))).rejects.toThrow(/job\.argv/);
    await expect(executor.run(makeJob([node], { timeoutSeconds: -1 }))).rejects.toThrow(/job\.timeoutSeconds.*-1/);
  });
});
