import { existsSync, readFileSync } from 'node:fs';
import { RunNotFoundError } from '../../errors/loop-error.ts';
import { runPaths, type RunPaths } from '../../run-folder/run-paths.ts';
import { readRunState, type RunState } from '../../run-folder/run-state.ts';
import { readRunLock } from '../../lock/run-lock.ts';
import { controllerAlive } from '../../process/process-alive.ts';

export interface RunControl {
  paths: RunPaths;
  state: RunState;
  /** The live controller's pid on this host, if one drives the run. */
  controllerPid?: number;
}

// Finds a run and the controller driving it, if any: the lock holder when its process lives, else the state's.
export function findController(home: string, name: string): RunControl {
  const paths = runPaths(home, name);
  if (!existsSync(paths.state)) throw new RunNotFoundError(name, home);
  const state = readRunState(paths.state);
  const holder = readRunLock(paths.root) ?? state.controller ?? undefined;
  const alive = holder ? controllerAlive(holder) && isLoopProcess(holder.pid) : false;
  return { paths, state, controllerPid: alive && holder ? holder.pid : undefined };
}

// Whether a pid is a `loop` process, so a pid reused after a crash never gets the controller's signal.
function isLoopProcess(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((arg) => /(^|\/)loop(\.mjs)?$/.test(arg));
  } catch {
    return true;
  }
}
