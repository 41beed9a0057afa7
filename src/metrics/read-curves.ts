import { readFileSync } from 'node:fs';

// The per-step metrics stream a stage may append to, inside its output folder (`$LOOP_CURVES`).
export const CURVES_FILE = 'curves.jsonl';

// One stage's training curves, column by column: `series[name][i]` is the value at `steps[i]`, null where that
// line did not report the name.
export interface StageCurves {
  steps: number[];
  series: Record<string, (number | null)[]>;
  /** Lines that were not a JSON object with a finite numeric `step` (a half-written last line, a stray print). */
  skipped: number;
  /** Lines read before thinning to `maxPoints`. */
  lines: number;
}

// Reads a curves.jsonl: every line `{"step": N, "NAME": number, …}`; other non-numeric fields are ignored and bad
// lines counted, never fatal, so a script killed mid-write still gives its curve. Undefined when there is no file.
// Long streams are thinned to about `maxPoints` evenly spaced lines (the last one kept) so a report stays small.
export function readCurves(file: string, maxPoints = 2000): StageCurves | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const rows: { step: number; values: Record<string, number> }[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const row = parseLine(line);
    if (row) rows.push(row);
    else skipped++;
  }
  const kept = thin(rows, maxPoints);
  const names = [...new Set(kept.flatMap((r) => Object.keys(r.values)))].sort();
  const series: Record<string, (number | null)[]> = {};
  for (const name of names) series[name] = kept.map((r) => r.values[name] ?? null);
  return { steps: kept.map((r) => r.step), series, skipped, lines: rows.length };
}

// One curves.jsonl line as its step and numeric fields, or undefined when it is not a usable point.
function parseLine(line: string): { step: number; values: Record<string, number> } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { step, ...rest } = data as Record<string, unknown>;
  if (typeof step !== 'number' || !Number.isFinite(step)) return undefined;
  const values: Record<string, number> = {};
  for (const [key, value] of Object.entries(rest)) if (typeof value === 'number' && Number.isFinite(value)) values[key] = value;
  return { step, values };
}

// Every k-th row and the last, so at most about `max` rows remain.
function thin<T>(rows: T[], max: number): T[] {
  if (rows.length <= max) return rows;
  const stride = Math.ceil(rows.length / max);
  const kept = rows.filter((_, i) => i % stride === 0);
  if ((rows.length - 1) % stride !== 0) kept.push(rows.at(-1)!);
  return kept;
}
