import { appendFileSync, readFileSync } from 'node:fs';
import type { RunPaths } from './run-paths.ts';
import type { IterationSummary } from './iteration-summary.ts';

// What the run had gathered through an iteration, written on its index line so a reader of the last lines needs
// no earlier one: the GPU-hours of iterations 0…N together (unrounded) and the best value of the main metric (the
// metric and its direction as the recipe had them then).
export interface IndexTotals {
  gpuHours: number;
  mainMetric: string;
  higherIsBetter: boolean;
  best: { iteration: number; value: number } | null;
}

// One line of the index; `totals` is absent in lines written by a `loop` before it existed.
export interface IndexEntry extends IterationSummary {
  totals?: IndexTotals;
}

// iterations.jsonl: one line per finished iteration, `{"iteration", "metrics", "stages", "totals"}`, appended once
// the loop leaves the iteration. `loop status`, `loop diff` and `loop ls` read its last lines (index-tail.ts)
// instead of every iteration's stage records, so their cost does not grow with the run's length. It is derived
// data: the stage records stay the truth, and an iteration missing from it (a crash between the state write and
// the append, a run from an older loop) is read from its folder instead.
export function appendIterationIndex(paths: RunPaths, summary: IterationSummary, totals?: IndexTotals): void {
  const { index, metrics, stages } = summary;
  appendFileSync(paths.index, `${JSON.stringify({ iteration: index, metrics, stages, ...(totals ? { totals } : {}) })}\n`);
}

// The indexed iterations by number; a torn or foreign line is skipped (that iteration is then read from its folder),
// and an iteration indexed twice keeps its last line.
export function readIterationIndex(paths: RunPaths): Map<number, IterationSummary> {
  const found = new Map<number, IterationSummary>();
  let text: string;
  try {
    text = readFileSync(paths.index, 'utf8');
  } catch {
    return found;
  }
  for (const line of text.split('\n')) {
    const entry = parseIndexLine(line);
    if (entry) found.set(entry.index, { index: entry.index, metrics: entry.metrics, stages: entry.stages });
  }
  return found;
}

// One line of the index, or undefined for an empty, torn or foreign one.
export function parseIndexLine(line: string): IndexEntry | undefined {
  if (line === '') return undefined;
  let entry: { iteration?: unknown; metrics?: unknown; stages?: unknown; totals?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return undefined;
  }
  const { iteration, metrics, stages, totals } = entry ?? {};
  if (!Number.isInteger(iteration) || !isObject(metrics) || !isObject(stages)) return undefined;
  const summary = { index: iteration as number, metrics, stages } as IndexEntry;
  if (isObject(totals) && typeof totals.gpuHours === 'number' && typeof totals.mainMetric === 'string') {
    summary.totals = totals as unknown as IndexTotals;
  }
  return summary;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
