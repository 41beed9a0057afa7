import { rows } from './diff-selected-rows.ts';

// Which RL queries the difficulty filter kept on each side, by query id.
export interface KeptQueriesChange {
  output: string;
  left: number;
  right: number;
  /** Kept on the right and not on the left. */
  added: number;
  removed: number;
}

// Compares two kept-queries files (JSONL rows with an `id`, the rl_filter stage's output) as sets of ids;
// rows without an id count by their text.
export function diffKeptQueries(output: string, leftFile: string, rightFile: string): KeptQueriesChange {
  const left = ids(leftFile);
  const right = ids(rightFile);
  const added = [...right].filter((id) => !left.has(id)).length;
  const removed = [...left].filter((id) => !right.has(id)).length;
  return { output, left: left.size, right: right.size, added, removed };
}

// A kept-queries file as a set of keys: `id:` plus the query id, or the row's text when it has none.
function ids(file: string): Set<string> {
  const set = new Set<string>();
  for (const line of rows(file)) {
    let id: unknown;
    try {
      id = (JSON.parse(line) as { id?: unknown })?.id;
    } catch {
      id = undefined;
    }
    set.add(typeof id === 'string' || typeof id === 'number' ? `id:${id}` : `row:${line}`);
  }
  return set;
}
