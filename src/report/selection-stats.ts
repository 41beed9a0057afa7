import type { Recipe } from '../recipe/types.ts';
import type { IterationSummary } from '../metrics/read-run-report.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { diffRows, type RowsChange } from '../diff/diff-selected-rows.ts';
import { diffVotes, type VoteAgreement } from '../diff/diff-votes.ts';
import { stageJsonlOutput } from '../diff/stage-jsonl-output.ts';

// Per iteration: what the select stage reported, and how its data moved from the previous iteration's.
export interface SelectionStats {
  iteration: number;
  /** The select stage's metrics (kept, queries kept, vote margin, …), without the `select.` prefix. */
  metrics: Record<string, number>;
  /** Selected rows against the previous iteration that had them. */
  rows: RowsChange | null;
  /** Vote agreement with the previous iteration that had votes. */
  votes: VoteAgreement | null;
}

// The selection and voting statistics of every iteration that ran a select stage.
export function selectionStats(paths: RunPaths, recipe: Recipe, iterations: IterationSummary[]): SelectionStats[] {
  const stats: SelectionStats[] = [];
  let previousRows: { file: string } | undefined;
  let previousVotes: { file: string } | undefined;
  for (const it of iterations) {
    if (!it.stages.select) continue;
    const metrics: Record<string, number> = {};
    for (const [name, value] of Object.entries(it.metrics)) if (name.startsWith('select.')) metrics[name.slice(7)] = value;
    const rows = stageJsonlOutput(paths, recipe, it.index, 'select');
    const votes = stageJsonlOutput(paths, recipe, it.index, 'select', 'votes');
    stats.push({
      iteration: it.index,
      metrics,
      rows: rows && previousRows ? diffRows(rows.output, previousRows.file, rows.file) : null,
      votes: votes && previousVotes ? diffVotes(votes.output, previousVotes.file, votes.file) : null,
    });
    previousRows = rows ?? previousRows;
    previousVotes = votes ?? previousVotes;
  }
  return stats;
}
