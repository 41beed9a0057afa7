import { dirname } from 'node:path';
import { shellQuote } from '../common/shell-quote.ts';
import { wrapperScript, type WrapperParts } from '../common/wrapper-script.ts';

// Starts the attempt on the host, detached (setsid: its own session and process group, no terminal, output appended
// to the stage log), so it outlives the ssh connection and the controller; prints the wrapper's pid. The forwarded
// secrets come on standard input as `export` lines (forwarded-secrets.ts): the stage inherits them, and they appear
// in no command line and no file.
export function launchCommand(parts: WrapperParts & { cwd: string; logFile: string }): string {
  const dirs = [...new Set([dirname(parts.logFile), dirname(parts.prefix)])].map(shellQuote).join(' ');
  return [
    'secrets=$(cat) && eval "$secrets" && unset secrets || exit 1',
    `mkdir -p ${dirs} && cd ${shellQuote(parts.cwd)} || exit 1`,
    `setsid sh -c ${shellQuote(wrapperScript(parts))} loop-stage </dev/null >>${shellQuote(parts.logFile)} 2>&1 &`,
    'echo "$!"',
  ].join('\n');
}

// Waits on the host until the attempt ends and prints "exit STATUS", or "gone" when no process of its session
// is left and it recorded no status (never started, or killed with SIGKILL). Zombies do not count as alive.
// One ssh call per stage instead of a poll per interval; rerun after a dropped connection, it just waits again.
export function waitCommand(prefix: string): string {
  const p = shellQuote(prefix);
  return [
    'misses=0',
    'while :; do',
    `  if [ -f ${p}.exit ]; then echo "exit $(cat ${p}.exit)"; exit 0; fi`,
    `  pid=$(tail -n 1 ${p}.starts 2>/dev/null)`,
    `  if [ -n "$pid" ] && ps -o stat= -s "$pid" 2>/dev/null | grep -q '^[^Z]'; then misses=0; else misses=$((misses+1)); fi`,
    `  if [ "$misses" -gt 6 ] && [ ! -f ${p}.exit ]; then echo "gone"; exit 0; fi`,
    '  sleep 0.5',
    'done',
  ].join('\n');
}

// Signals the attempt's whole process group on the host (the wrapper leads it), so its children die with it.
export function killCommand(prefix: string, signal: 'TERM' | 'KILL'): string {
  const p = shellQuote(prefix);
  return `pid=$(tail -n 1 ${p}.starts 2>/dev/null) && [ -n "$pid" ] && kill -${signal} -- "-$pid" 2>/dev/null; true`;
}
