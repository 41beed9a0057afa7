import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { isPidAlive } from '../process/is-pid-alive.ts';
import { sleepSync } from '../time/sleep.ts';
import { RunLockedError, type LockHolder } from './run-locked-error.ts';
import { takeOverStaleLock, takeoverFile } from './take-over-stale-lock.ts';
import type { LockState } from './lock-state.ts';

export type { LockHolder, LockState } from './lock-state.ts';

// A held lock: who we are, and how to let go.
export interface RunLock {
  holder: LockHolder;
  release(): void;
}

export interface RunLockOptions {
  /** The loop command taking the lock (`run`, `resume`, …), shown to whoever finds the run locked. */
  command?: string;
  pid?: number;
  host?: string;
  now?: () => Date;
  isAlive?: (pid: number) => boolean;
  /** How long an empty or torn lock may still be a live controller writing it; older, it is a crash's leftover. */
  writeGraceMs?: number;
}

const ATTEMPTS = 20;
const PAUSE_MS = 25;

export function runLockFile(runDir: string): string {
  return path.join(runDir, 'lock');
}

// Makes this process the one controller of a run: creates RUN/lock exclusively, or takes over a lock whose holder
// is gone; a live holder (or one on another host, which we cannot check) makes it throw RunLockedError.
export function acquireRunLock(runDir: string, options: RunLockOptions = {}): RunLock {
  const file = runLockFile(runDir);
  const name = path.basename(runDir);
  const now = options.now ?? (() => new Date());
  const host = options.host ?? hostname();
  const isAlive = options.isAlive ?? isPidAlive;
  const graceMs = options.writeGraceMs ?? 2_000;
  const holder: LockHolder = { pid: options.pid ?? process.pid, host, startedAt: now().toISOString(), command: options.command ?? 'run' };
  const judge = (f: string) => judgeLock(f, { host, isAlive, now, graceMs });

  let waitingFor: 'writing' | 'takeover' = 'writing';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (createLock(file, holder)) return { holder, release: () => releaseRunLock(file, holder) };
    let found = judge(file);
    if (found.kind === 'stale') {
      const outcome = takeOverStaleLock(file, judge, holder);
      if (outcome === 'removed') continue;
      if (outcome === 'busy') waitingFor = 'takeover';
      else found = outcome;
    }
    if (found.kind === 'live') throw new RunLockedError(name, found.holder);
    if (found.kind === 'gone') continue;
    if (found.kind === 'writing') waitingFor = 'writing';
    // Blocking is fine here: acquiring happens once at start-up, before anything else runs.
    sleepSync(PAUSE_MS);
  }
  throw busyError(name, file, waitingFor, { host, isAlive });
}

// The holder recorded in RUN/lock, if any (undefined also for an empty or torn file).
export function readRunLock(runDir: string): LockHolder | undefined {
  try {
    return parseHolder(readFileSync(runLockFile(runDir), 'utf8'));
  } catch {
    return undefined;
  }
}

// Reads a lock file and decides whether its holder may still be running.
export function judgeLock(
  file: string,
  ctx: { host: string; isAlive: (pid: number) => boolean; now: () => Date; graceMs: number },
): LockState {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(file, 'utf8');
    mtimeMs = statSync(file).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw error;
  }
  const holder = parseHolder(text);
  if (!holder) return ctx.now().getTime() - mtimeMs < ctx.graceMs ? { kind: 'writing' } : { kind: 'stale', holder };
  if (holder.host !== ctx.host || ctx.isAlive(holder.pid)) return { kind: 'live', holder };
  return { kind: 'stale', holder };
}

// Creates the lock exclusively with our holder in it; false when another file is (or, after a takeover race, got) there.
function createLock(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    fsyncSync(fd);
    // A controller stalled for longer than the grace between create and write may have lost the file to a takeover.
    return sameFile(fd, file);
  } catch (error) {
    if (sameFile(fd, file)) unlinkQuietly(file);
    throw error;
  } finally {
    closeSync(fd);
  }
}

// Deletes the lock only while it still names this holder: after a takeover it belongs to someone else.
function releaseRunLock(file: string, holder: LockHolder): void {
  let current: LockHolder | undefined;
  try {
    current = parseHolder(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  if (current?.pid === holder.pid && current.host === holder.host && current.startedAt === holder.startedAt) unlinkQuietly(file);
}

function parseHolder(text: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, host, startedAt, command } = value as Record<string, unknown>;
  if (!Number.isInteger(pid) || typeof host !== 'string' || typeof startedAt !== 'string' || typeof command !== 'string') return undefined;
  return { pid: pid as number, host, startedAt, command };
}

// The error after waiting in vain: a lock still being written, or a takeover by another controller that does not end.
function busyError(
  name: string,
  file: string,
  waitingFor: 'writing' | 'takeover',
  ctx: { host: string; isAlive: (pid: number) => boolean },
) {
  if (waitingFor === 'writing') {
    return new RunLockedError(
      name,
      undefined,
      `run ${name}'s lock ${file} is empty or torn: another loop controller is writing it right now, or crashed while doing so; retry ` +
        `in a few seconds`,
    );
  }
  const claim = takeoverFile(file);
  let taker: LockHolder | undefined;
  try {
    taker = parseHolder(readFileSync(claim, 'utf8'));
  } catch {
    taker = undefined;
  }
  if (taker && (taker.host !== ctx.host || ctx.isAlive(taker.pid))) {
    return new RunLockedError(
      name,
      undefined,
      `process ${taker.pid} on ${taker.host} is taking over run ${name}'s stale lock right now; retry in a moment`,
    );
  }
  return new RunLockedError(
    name,
    undefined,
    `a loop controller crashed while taking over run ${name}'s stale lock; if no loop controls ${name}, delete ${claim} and retry`,
  );
}

function sameFile(fd: number, file: string): boolean {
  try {
    return fstatSync(fd).ino === statSync(file).ino;
  } catch {
    return false;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
