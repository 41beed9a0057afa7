import type { GridAxis } from './parse-grid.ts';

// The name of one run of a sweep, made from its values: `qs.top_k-2.seed-1`. Each axis is named by its last key
// (the whole path, dots as `_`, when two axes share a last key); characters a folder name cannot hold become `_`.
export function sweepRunName(sweep: string, axes: GridAxis[], combo: Record<string, string>): string {
  const last = axes.map((a) => a.path.split('.').at(-1)!);
  const parts = axes.map((axis, i) => {
    const key = last.filter((k) => k === last[i]).length > 1 ? axis.path.replace(/\./g, '_') : last[i]!;
    return `${safe(key)}-${safe(combo[axis.path]!)}`;
  });
  return [sweep, ...parts].join('.');
}

function safe(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_');
}
