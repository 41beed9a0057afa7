import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LoopError } from '../errors/loop-error.ts';
import { checkName } from '../recipe/check-name.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { GridAxis } from './parse-grid.ts';

export const SWEEP_VERSION = 1;

// .loop/sweeps/NAME.json: which runs a sweep made and the grid values of each, so `loop diff NAME` can line them up.
export interface SweepManifest {
  version: number;
  name: string;
  createdAt: string;
  /** The recipe file the runs came from, absolute. */
  recipeFile: string;
  /** --set overrides applied to every run. */
  sets: string[];
  grid: GridAxis[];
  runs: Array<{ name: string; values: Record<string, string> }>;
}

export function sweepsDir(home: string): string {
  return path.join(home, 'sweeps');
}

export function sweepFile(home: string, name: string): string {
  return path.join(sweepsDir(home), `${checkName(name, 'sweep name')}.json`);
}

export function writeSweepManifest(home: string, manifest: SweepManifest): void {
  writeFileAtomic(sweepFile(home, manifest.name), `${JSON.stringify(manifest, null, 2)}\n`);
}

// The manifest of a sweep, or undefined when there is no sweep of that name; a manifest of another format is refused.
export function readSweepManifest(home: string, name: string): SweepManifest | undefined {
  let text: string;
  try {
    text = readFileSync(sweepFile(home, name), 'utf8');
  } catch {
    return undefined;
  }
  let manifest: SweepManifest;
  try {
    manifest = JSON.parse(text) as SweepManifest;
  } catch (error) {
    throw new LoopError(
      'E_SWEEP',
      `the sweep file ${sweepFile(home, name)} is unreadable (${(error as Error).message}); its runs are still there: \`loop ls\` lists ` +
        `them`,
    );
  }
  if (manifest.version !== SWEEP_VERSION || !Array.isArray(manifest.runs)) {
    throw new LoopError(
      'E_SWEEP',
      `${sweepFile(home, name)} has sweep format ${String(manifest.version)}, this loop reads format ${SWEEP_VERSION}; use the loop ` +
        `version that created it`,
    );
  }
  return manifest;
}
