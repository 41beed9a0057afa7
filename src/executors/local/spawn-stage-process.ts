import { spawn } from 'node:child_process';
import type { ProcessResult } from '../common/to-stage-execution.ts';

export interface StageProcessOptions {
  cwd: string;
  /** Added to the controller's environment. */
  env: Record<string, string>;
  /** An open descriptor that receives the process's stdout and stderr. */
  logFd: number;
}

export interface StageProcess {
  /** Undefined when the process could not be started (the result then says why). */
  pid: number | undefined;
  /** Settles once the process has exited or failed to start; never rejects. */
  result: Promise<ProcessResult>;
}

// Starts a stage process in its own process group (so the group can be signalled and it survives the controller),
// stdin closed, output straight into the log descriptor. Node's spawn is used directly rather than through execa:
// the stage needs none of execa's piping or result shaping, and at thousands of short stages execa's option
// handling was a measurable part of loop's per-stage overhead (docs/performance.md).
export function spawnStageProcess(file: string, args: string[], options: StageProcessOptions): StageProcess {
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', options.logFd, options.logFd],
  });
  const result = new Promise<ProcessResult>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      // A process that did start and then fails to be signalled also reports here; only a failed start has no pid.
      if (child.pid === undefined) resolve({ failed: true, code: error.code, originalMessage: error.message });
    });
    child.once('exit', (exitCode, signal) => {
      resolve({ exitCode: exitCode ?? undefined, signal: signal ?? undefined, failed: exitCode !== 0 });
    });
  });
  return { pid: child.pid, result };
}
