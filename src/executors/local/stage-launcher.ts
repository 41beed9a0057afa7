import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { StageProcess } from './spawn-stage-process.ts';
import type { ProcessResult } from '../common/to-stage-execution.ts';

const LAUNCHER = fileURLToPath(new URL('./stage-launcher.mjs', import.meta.url));
// How often a started process is checked once the launcher that would report its exit is gone.
const CHECK_EVERY_MS = 1000;

export interface LaunchRequest {
  file: string;
  args: string[];
  cwd: string;
  /** Added to the controller's environment. */
  env: Record<string, string>;
  logFile: string;
  /** The attempt's control prefix: the launcher records its start and end there (PREFIX.starts, PREFIX.exit). */
  prefix?: string;
  /** Whether the started process still runs; used only if the launcher dies before reporting its exit. */
  isAlive: (pid: number) => boolean;
}

export interface StageLauncher {
  /** Starts a process like spawnStageProcess; undefined when the launcher cannot take it (the caller spawns). */
  start(request: LaunchRequest): Promise<StageProcess | undefined>;
}

interface Pending {
  request: LaunchRequest;
  started: (process: StageProcess | undefined) => void;
  pid?: number;
  ended?: (result: ProcessResult) => void;
}

// Starts stage processes through stage-launcher.mjs, a plain Node process started once and kept while this one
// runs (see that file for why). Its pipe is referenced only while a process it started is being waited for, so an
// idle launcher never keeps the controller alive; it exits when the controller has gone and its stages have ended.
export function createStageLauncher(node = process.execPath): StageLauncher {
  let child: ChildProcess | undefined;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const reference = () => {
    const out = child?.stdout as Socket | null | undefined;
    if (pending.size > 0) out?.ref();
    else out?.unref();
  };
  const settle = (id: number, result: ProcessResult) => {
    const entry = pending.get(id);
    pending.delete(id);
    reference();
    entry?.ended?.(result);
  };

  // The launcher is gone: what it had not started is started by the caller; what it had, is watched by its pid.
  const orphan = () => {
    child = undefined;
    for (const [id, entry] of pending) {
      if (entry.pid === undefined) {
        pending.delete(id);
        entry.started(undefined);
        continue;
      }
      const pid = entry.pid;
      const timer = setInterval(() => {
        if (entry.request.isAlive(pid)) return;
        clearInterval(timer);
        settle(id, { failed: true });
      }, CHECK_EVERY_MS);
    }
  };

  const open = (): ChildProcess | undefined => {
    if (child || broken) return child;
    try {
      child = spawn(node, [LAUNCHER], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    } catch {
      broken = true;
      return undefined;
    }
    child.unref();
    (child.stdin as Socket).unref();
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    child.once('close', orphan);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as {
        id: number;
        pid?: number;
        error?: { code?: string; message: string };
        exitCode?: number | null;
        signal?: string | null;
      };
      const entry = pending.get(message.id);
      if (!entry) return;
      if (message.pid !== undefined) {
        entry.pid = message.pid;
        entry.started({ pid: message.pid, result: new Promise<ProcessResult>((resolve) => (entry.ended = resolve)) });
      } else if (message.error) {
        pending.delete(message.id);
        reference();
        entry.started({
          pid: undefined,
          result: Promise.resolve({ failed: true, code: message.error.code, originalMessage: message.error.message }),
        });
      } else {
        settle(message.id, {
          exitCode: message.exitCode ?? undefined,
          signal: message.signal ?? undefined,
          failed: message.exitCode !== 0,
        });
      }
    });
    return child;
  };

  return {
    start(request) {
      const launcher = open();
      if (!launcher?.stdin?.writable) return Promise.resolve(undefined);
      const id = nextId++;
      const env = { ...process.env, ...request.env };
      const { file, args, cwd } = request;
      return new Promise<StageProcess | undefined>((started) => {
        pending.set(id, { request, started });
        reference();
        launcher.stdin!.write(`${JSON.stringify({ id, file, args, cwd, env, log: request.logFile, prefix: request.prefix })}\n`);
      });
    },
  };
}
