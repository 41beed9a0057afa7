import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/loop-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

// Parses a command's flags strictly; a mistake becomes a usage error naming the command's --help.
export function parseFlags<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${message}; see \`loop ${command} --help\``);
  }
}

export const HOME_FLAG = { home: { type: 'string' } } as const;
export const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;
export const JSON_FLAG = { json: { type: 'boolean' } } as const;

// A flag the command cannot run without: a usage error naming the command, the flag and the help.
export function requiredFlag(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`loop ${command} needs --${flag}; see \`loop ${command} --help\``);
  return value;
}

// A numeric flag: absent gives the default; anything that is not a number in range is a usage error naming the flag,
// the bad value and the help.
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
    const bounds = [range.min !== undefined ? `≥ ${range.min}` : '', range.max !== undefined ? `≤ ${range.max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(`--${flag} must be ${kind}${bounds ? ` ${bounds}` : ''}, got "${value}"; see \`loop ${command} --help\``);
  }
  return n;
}
