import { appendFileSync, readFileSync } from 'node:fs';
import type { RunPaths } from './run-paths.ts';
import type { IterationSummary } from './iteration-summary.ts';

// iterations.jsonl: one line per finished iteration, `{"iteration", "metrics", "stages"}`, appended once the loop
// leaves the iteration. `loop status`, `loop diff` and `loop ls` read it instead of every iteration's stage records,
// so their cost does not grow with the run's length. It is derived data: the stage records stay the truth, and an
// iteration missing from it (a crash between the state write and the append, a run from an older loop) is read
// from its folder instead.
export function appendIterationIndex(paths: RunPaths, summary: IterationSummary): void {
  const { index, metrics, stages } = summary;
  appendFileSync(paths.index, `${JSON.stringify({ iteration: index, metrics, stages })}\n`);
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
    if (line === '') continue;
    let entry: { iteration?: unknown; metrics?: unknown; stages?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    const { iteration, metrics, stages } = entry ?? {};
    if (!Number.isInteger(iteration) || !isObject(metrics) || !isObject(stages)) continue;
    found.set(iteration as number, { index: iteration as number, metrics, stages } as IterationSummary);
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
