import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';

// A declared `.jsonl` output of an iteration's stage that exists on disk: the one named `name` when given,
// else the first declared whose file exists. Undefined when the recipe has no such stage or the file is not there.
export function stageJsonlOutput(
  paths: RunPaths,
  recipe: Recipe,
  index: number,
  stage: string,
  name?: string,
): { output: string; file: string } | undefined {
  const spec = recipe.stages.find((s) => s.name === stage);
  if (!spec) return undefined;
  for (const [output, relative] of Object.entries(spec.outputs)) {
    if (!relative.endsWith('.jsonl') || (name !== undefined && output !== name)) continue;
    const file = path.join(paths.stageOut(index, stage), relative);
    if (existsSync(file)) return { output, file };
  }
  return undefined;
}
