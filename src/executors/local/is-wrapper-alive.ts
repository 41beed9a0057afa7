import { readFileSync } from 'node:fs';

// Whether the wrapper of a given attempt still runs: the pid lives, is no zombie, and is that attempt's wrapper
// (its command line names the attempt's files), so a reused pid is never mistaken for the stage.
export function isWrapperAlive(pid: number, prefix: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    if (state === 'Z' || state === 'X') return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(prefix);
  } catch {
    return false;
  }
}
