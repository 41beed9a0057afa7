import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { Provenance } from './collect-provenance.ts';

// Where an iteration's provenance lies. Apart from record-provenance.ts, so the read-only commands (status, ls,
// diff, report) do not load simple-git with the collector.
export function provenanceFile(paths: RunPaths, iteration: number): string {
  return path.join(paths.iteration(iteration), 'provenance.json');
}

// An iteration's provenance, or null when it has none (runs made before provenance existed).
export function readProvenance(paths: RunPaths, iteration: number): Provenance | null {
  try {
    return JSON.parse(readFileSync(provenanceFile(paths, iteration), 'utf8')) as Provenance;
  } catch {
    return null;
  }
}
