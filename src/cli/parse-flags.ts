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
