import { existsSync, readFileSync } from 'node:fs';
import type { CliIO } from '../io.ts';
import type { Style } from '../output/style.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { RunNotFoundError, UsageError } from '../../errors/loop-error.ts';
import { loopHome, runPaths } from '../../run-folder/run-paths.ts';
import { table } from '../output/table.ts';

export const logHelp = `Usage: loop log NAME [--json] [--home DIR]

Prints a run's history, oldest first, from its events.jsonl: one line per event with its time,
iteration, transition (from → to), stage, and any other fields as key=value.

Options:
  --json        print the events as a JSON array, as stored (fields in docs/reference/cli/log.md)
  --home DIR    the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help    show this help`;

/** One line of events.jsonl; `at`, `from`, `to`, `iteration`, `stage` are the usual fields, any other is kept. */
export type LoggedEvent = Record<string, unknown>;

// `loop log NAME`: the run's events, one line each.
export async function logCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('log', argv, { ...HELP_FLAG, ...HOME_FLAG, ...JSON_FLAG });
  if (values.help) return (io.print(logHelp), 0);
  if (positionals.length !== 1) throw new UsageError('loop log needs one run name; `loop ls` lists the runs');
  const home = loopHome(values.home, io.env, io.cwd);
  const name = positionals[0]!;
  const paths = runPaths(home, name);
  if (!existsSync(paths.state)) throw new RunNotFoundError(name, home);
  const { events, skipped } = readEvents(paths.events);
  for (const { line, reason } of skipped) io.error(`loop: events.jsonl line ${line} ${reason}; skipped`);
  if (values.json) io.print(JSON.stringify(events, null, 2));
  else if (events.length > 0) io.print(renderLog(events, io.out));
  return 0;
}

// Parses events.jsonl line by line; a line a crash tore (or any other bad line) is reported, never fatal.
export function readEvents(file: string): { events: LoggedEvent[]; skipped: { line: number; reason: string }[] } {
  const events: LoggedEvent[] = [];
  const skipped: { line: number; reason: string }[] = [];
  if (!existsSync(file)) return { events, skipped };
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        skipped.push({ line: index + 1, reason: 'is not valid JSON (a crash while writing it?)' });
        return;
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) events.push(value as LoggedEvent);
      else skipped.push({ line: index + 1, reason: 'is not a JSON object' });
    });
  return { events, skipped };
}

const COLUMNS = new Set(['at', 'iteration', 'from', 'to', 'stage']);

// The human view: aligned columns for the usual fields, then every other field as key=value.
export function renderLog(events: LoggedEvent[], s: Style): string {
  const rows = events.map((event) => {
    const transition = 'to' in event || 'from' in event ? `${show(event.from ?? '(start)')} → ${show(event.to ?? '?')}` : '';
    const extras = Object.entries(event)
      .filter(([key]) => !COLUMNS.has(key))
      .map(([key, value]) => `${key}=${show(value)}`);
    return [
      s.dim(show(event.at ?? '')),
      event.iteration === undefined ? '' : `iteration ${show(event.iteration)}`,
      transition,
      event.stage === undefined || event.stage === null ? '' : show(event.stage),
      extras.join(' '),
    ];
  });
  return table(rows);
}

// A value as one shell-like word: plain strings as they are, anything else (or with spaces) as JSON.
function show(value: unknown): string {
  if (typeof value === 'string' && /^[^\s"'=]+$/.test(value)) return value;
  return JSON.stringify(value) ?? String(value);
}
