import { readFileSync } from 'node:fs';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { stageJsonlOutput } from './stage-jsonl-output.ts';

// How the `select` stage's JSONL output changed between two iterations, comparing rows by their exact text.
export interface RowsChange {
  output: string;
  left: number;
  right: number;
  added: number;
  removed: number;
}

// The first declared `.jsonl` output of an iteration's select stage, when the file exists.
export function selectedRowsFile(paths: RunPaths, recipe: Recipe, index: number): { output: string; file: string } | undefined {
  return stageJsonlOutput(paths, recipe, index, 'select');
}

// Rows in right and not in left (added) and the reverse (removed), counting duplicates; blank lines are not rows.
export function diffRows(output: string, leftFile: string, rightFile: string): RowsChange {
  const left = rows(leftFile);
  const right = rows(rightFile);
  const counts = new Map<string, number>();
  for (const row of left) counts.set(row, (counts.get(row) ?? 0) + 1);
  let added = 0;
  for (const row of right) {
    const n = counts.get(row) ?? 0;
    if (n > 0) counts.set(row, n - 1);
    else added++;
  }
  const removed = [...counts.values()].reduce((a, b) => a + b, 0);
  return { output, left: left.length, right: right.length, added, removed };
}

// A JSONL file's non-blank lines.
export function rows(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');
}
