import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireRunLock, readRunLock } from '../../src/lock/run-lock.ts';
import { isPidAlive } from '../../src/process/is-pid-alive.ts';
import { RunLockedError } from '../../src/lock/run-locked-error.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// A fresh run folder named `r1` inside a temp dir.
function runDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-lock-'));
  dirs.push(dir);
  const run = path.join(dir, 'r1');
  mkdirSync(run);
  return run;
}

// The pid of a process that has exited (and been reaped).
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  expect(isPidAlive(pid)).toBe(false);
  return pid;
}

function writeLock(run: string, content: string, ageMs = 0): void {
  const file = path.join(run, 'lock');
  writeFileSync(file, content);
  const when = new Date(Date.now() - ageMs);
  utimesSync(file, when, when);
}

const lockError = (fn: () => unknown): RunLockedError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RunLockedError);
    expect((error as RunLockedError).code).toBe('E_RUN_LOCKED');
    return error as RunLockedError;
  }
  throw new Error('expected the run to be locked');
};

describe('acquireRunLock', () => {
  it('creates RUN/lock with the holder; release deletes it', () => {
    const run = runDir();
    const lock = acquireRunLock(run, { command: 'resume', now: () => new Date('2026-01-02T03:04:05.000Z') });
    expect(lock.holder).toEqual({ pid: process.pid, host: hostname(), startedAt: '2026-01-02T03:04:05.000Z', command: 'resume' });
    expect(JSON.parse(readFileSync(path.join(run, 'lock'), 'utf8'))).toEqual(lock.holder);
    expect(readRunLock(run)).toEqual(lock.holder);
    lock.release();
    expect(existsSync(path.join(run, 'lock'))).toBe(false);
    expect(readRunLock(run)).toBeUndefined();
    lock.release();
  });

  it('a second controller is refused, naming the holder and the fix', () => {
    const run = runDir();
    const first = acquireRunLock(run, { command: 'resume' });
    const error = lockError(() => acquireRunLock(run, { command: 'run' }));
    expect(error.message).toBe(
      `run r1 is held by process ${process.pid} on ${hostname()} since ${first.holder.startedAt} (loop resume); wait for it, or \`loop ` +
        `pause r1\` it`,
    );
    expect(error.holder).toEqual(first.holder);
    expect(readRunLock(run)).toEqual(first.holder);
    first.release();
    acquireRunLock(run).release();
  });

  it('takes over the lock of a process that has exited', () => {
    const run = runDir();
    writeLock(run, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'run' }));
    const lock = acquireRunLock(run, { command: 'resume' });
    expect(readRunLock(run)).toEqual(lock.holder);
    expect(readdirSync(run)).toEqual(['lock']);
    lock.release();
  });

  it('counts a zombie holder as dead', () => {
    // bash starts a short child, then becomes `sleep 20`, which never reaps it: once the child exits it stays a zombie.
    const parent = spawn('bash', ['-c', 'sleep 0.2 & echo $!; exec sleep 20']);
    return new Promise<void>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => {
        try {
          const zombie = Number(chunk.toString().trim());
          const deadline = Date.now() + 5_000;
          while (!readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z ') && Date.now() < deadline);
          expect(() => process.kill(zombie, 0)).not.toThrow();
          expect(isPidAlive(zombie)).toBe(false);
          const run = runDir();
          writeLock(run, JSON.stringify({ pid: zombie, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'run' }));
          acquireRunLock(run).release();
          resolve();
        } catch (error) {
          reject(error);
        } finally {
          parent.kill();
        }
      });
    });
  });

  it.each([
    ['empty', ''],
    ['torn', '{"pid": 12'],
    ['not a holder', '{"pid": "x"}'],
  ])('takes over an %s lock left by a crash', (_, content) => {
    const run = runDir();
    writeLock(run, content, 60_000);
    const lock = acquireRunLock(run);
    expect(readRunLock(run)).toEqual(lock.holder);
    lock.release();
  });

  it('leaves a just-created empty lock to the controller writing it', () => {
    const run = runDir();
    writeLock(run, '');
    expect(lockError(() => acquireRunLock(run)).message).toContain('is empty or torn: another loop controller is writing it right now');
    expect(readFileSync(path.join(run, 'lock'), 'utf8')).toBe('');
  });

  it('respects a lock held on another host, whatever its pid', () => {
    const run = runDir();
    const other = { pid: deadPid(), host: 'gpu-node-7', startedAt: '2026-01-01T00:00:00.000Z', command: 'run' };
    writeLock(run, JSON.stringify(other));
    expect(lockError(() => acquireRunLock(run)).message).toBe(
      `run r1 is held by process ${other.pid} on gpu-node-7 since 2026-01-01T00:00:00.000Z (loop run); wait for it, or \`loop pause ` +
        `r1\` it`,
    );
    expect(readRunLock(run)).toEqual(other);
  });

  it('release leaves alone a lock that someone else holds now', () => {
    const run = runDir();
    const lock = acquireRunLock(run);
    const next = { pid: process.pid, host: hostname(), startedAt: '2099-01-01T00:00:00.000Z', command: 'resume' };
    writeLock(run, JSON.stringify(next));
    lock.release();
    expect(readRunLock(run)).toEqual(next);
  });

  it('names the takeover file to delete when a controller crashed while taking over', () => {
    const run = runDir();
    const stale = { pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'run' };
    writeLock(run, JSON.stringify(stale));
    writeFileSync(path.join(run, 'lock.takeover'), JSON.stringify({ ...stale, pid: deadPid() }));
    expect(lockError(() => acquireRunLock(run)).message).toBe(
      `a loop controller crashed while taking over run r1's stale lock; if no loop controls r1, delete ` +
        `${path.join(run, 'lock.takeover')} and retry`,
    );
    expect(readRunLock(run)).toEqual(stale);
  });

  it('of 8 processes racing for the same stale lock, exactly one gets it', async () => {
    const run = runDir();
    const go = path.join(run, '..', 'go');
    writeLock(run, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'run' }));
    // Each child loads the module, says ready, spins until `go` exists, then tries; a winner holds the lock 300 ms.
    const script = `
      import { existsSync } from 'node:fs';
      const { acquireRunLock } = await import(process.env.LOCK_MODULE);
      console.log('ready');
      while (!existsSync(process.env.GO));
      try {
        const lock = acquireRunLock(process.env.RUN_DIR, { command: 'race' });
        await new Promise((r) => setTimeout(r, 300));
        lock.release();
        console.log(JSON.stringify({ acquired: true }));
      } catch (error) {
        console.log(JSON.stringify({ code: error.code, message: error.message }));
      }`;
    const env = { ...process.env, LOCK_MODULE: pathToFileURL(path.resolve('src/lock/run-lock.ts')).href, GO: go, RUN_DIR: run };
    let ready = 0;
    let release!: () => void;
    const allReady = new Promise<void>((r) => (release = r));
    const children = Array.from({ length: 8 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        if (chunk.toString().includes('ready') && ++ready === 8) release();
      });
      child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      return new Promise<{ pid: number; result: { acquired?: boolean; code?: string; message?: string } }>((resolve) =>
        child.on('exit', () => resolve({ pid: child.pid!, result: JSON.parse(out.trim().split('\n').at(-1) ?? '{}') })),
      );
    });
    await allReady;
    writeFileSync(go, '');
    const results = await Promise.all(children);
    const winners = results.filter((r) => r.result.acquired);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => !r.result.acquired)) {
      expect(loser.result.code).toBe('E_RUN_LOCKED');
      expect(loser.result.message).toContain(`held by process ${winners[0]!.pid} `);
    }
    expect(readdirSync(run)).toEqual([]);
  });
});
