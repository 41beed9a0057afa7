import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunPaths } from '../run-folder/run-paths.ts';

// One iteration's provenance.json, flattened to key paths for a table; `error` when the file cannot be read.
export interface IterationProvenance {
  iteration: number;
  entries: { path: string; value: string }[];
  error?: string;
}

// The provenance files (iterations/N/provenance.json, written when an artifact store records where an iteration
// came from) of the given iterations; iterations without one are left out.
export function readProvenance(paths: RunPaths, indices: number[]): IterationProvenance[] {
  const found: IterationProvenance[] = [];
  for (const iteration of indices) {
    let text: string;
    try {
      text = readFileSync(path.join(paths.iteration(iteration), 'provenance.json'), 'utf8');
    } catch {
      continue;
    }
    try {
      found.push({ iteration, entries: flatten(JSON.parse(text)) });
    } catch (error) {
      found.push({ iteration, entries: [], error: `provenance.json is not valid JSON (${(error as Error).message})` });
    }
  }
  return found;
}

// `{"git": {"commit": "ab"}}` → `git.commit = ab`; arrays by index; scalars as text.
function flatten(value: unknown, prefix = ''): { path: string; value: string }[] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) return [{ path: prefix, value: Array.isArray(value) ? '[]' : '{}' }];
    return entries.flatMap(([key, v]) => flatten(v, prefix ? `${prefix}.${key}` : key));
  }
  return [{ path: prefix, value: typeof value === 'string' ? value : JSON.stringify(value) }];
}
