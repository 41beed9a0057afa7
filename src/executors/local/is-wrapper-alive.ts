import { readdirSync, readFileSync } from 'node:fs';
import { isDeadState, readProcStat } from '../../process/proc-stat.ts';

// Whether the wrapper of a given attempt still runs: the pid lives, is no zombie, and is that attempt's wrapper
// (its command line names the attempt's files), so a reused pid is never mistaken for the stage.
export function isWrapperAlive(pid: number, prefix: string): boolean {
  return isWrapperProcess(String(pid), prefix);
}

// The live wrapper of an attempt, found among all processes: covers a controller that died after starting the
// wrapper but before the wrapper recorded its pid.
export function findWrapper(prefix: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const found = entries.find((entry) => /^\d+$/.test(entry) && isWrapperProcess(entry, prefix));
  return found === undefined ? undefined : Number(found);
}

function isWrapperProcess(pid: string, prefix: string): boolean {
  const stat = readProcStat(pid);
  if (!stat || isDeadState(stat.state)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(prefix);
  } catch {
    return false;
  }
}
