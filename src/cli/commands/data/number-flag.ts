import { UsageError } from '../../../errors/loop-error.ts';

// Reads a numeric flag of a `loop data` command: absent gives the default; anything that is not a number in range
// is a usage error naming the flag, the bad value and the help.
export function numberFlag(
  command: string,
  flag: string,
  value: string | undefined,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const bad =
    value.trim() === '' ||
    !Number.isFinite(n) ||
    (range.integer === true && !Number.isInteger(n)) ||
    (range.min !== undefined && n < range.min) ||
    (range.max !== undefined && n > range.max);
  if (bad) {
    const kind = range.integer ? 'an integer' : 'a number';
    const bounds = [range.min !== undefined ? `≥ ${range.min}` : '', range.max !== undefined ? `≤ ${range.max}` : ''].filter(Boolean).join(' and ');
    throw new UsageError(`--${flag} must be ${kind}${bounds ? ` ${bounds}` : ''}, got "${value}"; see \`loop data ${command} --help\``);
  }
  return n;
}

// A required path flag: a usage error naming the flag when it is missing.
export function requiredFlag(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`loop data ${command} needs --${flag}; see \`loop data ${command} --help\``);
  return value;
}
