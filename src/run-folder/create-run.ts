import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Recipe } from '../recipe/types.ts';
import { LoopError } from '../errors/loop-error.ts';
import { checkName } from '../recipe/check-name.ts';
import { runPaths, runsDir, type RunPaths } from './run-paths.ts';

// Makes the run's folder with the normalized recipe and the recipe text it came from; a default name is made unique.
export function createRun(home: string, recipe: Recipe, source: string, explicitName?: string): { name: string; paths: RunPaths } {
  if (explicitName !== undefined) checkName(explicitName, '--name');
  mkdirSync(runsDir(home), { recursive: true });
  const name = explicitName ?? uniqueName(home, recipe.name);
  const paths = runPaths(home, name);
  try {
    mkdirSync(paths.root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new LoopError(
      'E_RUN_EXISTS',
      `a run named "${name}" already exists in ${path.dirname(paths.root)}; choose another --name, or see it with \`loop status ${name}\``,
    );
  }
  mkdirSync(paths.iterations);
  writeFileSync(paths.recipe, `${JSON.stringify(recipe, null, 2)}\n`);
  writeFileSync(paths.recipeSource, source);
  return { name, paths };
}

function uniqueName(home: string, base: string): string {
  if (!existsSync(runPaths(home, base).root)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!existsSync(runPaths(home, candidate).root)) return candidate;
  }
}
