import { existsSync } from 'node:fs';
import { isDeadState, readProcStat } from '../../process/proc-stat.ts';
import { readAttemptStart, type AttemptStart } from '../common/attempt-files.ts';
import { findWrapper, isWrapperAlive } from './is-wrapper-alive.ts';

// Whether an attempt is still to be waited for: its stage runs, or it has ended and the launcher that started it is
// about to record how (it writes PREFIX.exit right after reaping it). A wrapper's attempt: while the wrapper runs.
export function isAttemptRunning(prefix: string, start: AttemptStart): boolean {
  if (!start.recorder) return isWrapperAlive(start.pid, prefix);
  if (isSameProcess(start.pid, start.startTime)) return true;
  return !existsSync(`${prefix}.exit`) && isSameProcess(start.recorder.pid, start.recorder.startTime);
}

// The attempt's live start: the recorded one while it runs, else a wrapper found among all processes (a controller
// that died after starting a wrapper but before it recorded its pid).
export function findRunningAttempt(prefix: string): AttemptStart | undefined {
  const recorded = readAttemptStart(prefix);
  if (recorded && isAttemptRunning(prefix, recorded)) return recorded;
  const wrapper = findWrapper(prefix);
  return wrapper === undefined ? undefined : { pid: wrapper };
}

// The process `pid` is alive and is the one that started at `startTime` (a later process may have its pid).
function isSameProcess(pid: number, startTime: string | undefined): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && !isDeadState(stat.state) && (startTime === undefined || startTime === '?' || stat.startTime === startTime);
}
