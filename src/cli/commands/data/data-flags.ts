import { UsageError } from '../../../errors/loop-error.ts';

// A flag the command cannot run without.
export function requireFlag(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`loop ${command} needs --${flag}; see \`loop ${command} --help\``);
  return value;
}

// An integer flag with a default and a minimum; a bad value names the flag and echoes it.
export function intFlag(command: string, flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be an integer ≥ ${min}, got "${value}"; see \`loop ${command} --help\``);
  return n;
}
