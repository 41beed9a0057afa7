import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { Recipe } from '../recipe/types.ts';
import { collectProvenance } from './collect-provenance.ts';
import { provenanceFile } from './read-provenance.ts';

// Writes iterations/N/provenance.json once, when the iteration's first stage starts; a resumed iteration keeps it.
export async function recordProvenance(paths: RunPaths, recipe: Recipe, iteration: number, now: Date): Promise<void> {
  const file = provenanceFile(paths, iteration);
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const provenance = await collectProvenance(recipe, paths.recipe, iteration, now);
  writeFileAtomic(file, `${JSON.stringify(provenance, null, 2)}\n`);
}
