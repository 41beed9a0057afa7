import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LoopError } from '../errors/loop-error.ts';
import { loadRecipe } from '../recipe/load-recipe.ts';
import { checkName, MAX_NAME_LENGTH } from '../recipe/check-name.ts';
import type { Recipe } from '../recipe/types.ts';
import { checkExecutorsAvailable } from '../executors/check-executors.ts';
import { createRun } from '../run-folder/create-run.ts';
import { runPaths, type RunPaths } from '../run-folder/run-paths.ts';
import { gridCombinations, type GridAxis } from './parse-grid.ts';
import { sweepRunName } from './sweep-run-name.ts';
import { SWEEP_VERSION, sweepFile, sweepsDir, writeSweepManifest, type SweepManifest } from './sweep-manifest.ts';

export interface SweepParams {
  home: string;
  /** The recipe file every run starts from. */
  file: string;
  grid: GridAxis[];
  /** --set overrides for every run, applied before the grid's. */
  sets?: string[];
  name?: string;
  now?: () => Date;
}

// Creates a sweep: one run per combination of the grid's values, each the recipe with that combination set
// (named from its values). Every combination is validated, and every name checked free, before any run is made.
export function createSweep(params: SweepParams): {
  manifest: SweepManifest;
  runs: Array<{ name: string; paths: RunPaths; recipe: Recipe }>;
} {
  const { home, file, grid } = params;
  const sets = params.sets ?? [];
  const base = loadRecipe(file, { sets, checkInputs: true });
  const name = params.name ?? uniqueSweepName(home, base.name);
  if (params.name !== undefined) checkExplicitName(home, params.name);
  const planned = gridCombinations(grid).map((values) => {
    const recipe = loadRecipe(file, { sets: [...sets, ...grid.map((axis) => `${axis.path}=${values[axis.path]}`)], checkInputs: true });
    checkExecutorsAvailable(recipe);
    return { name: sweepRunName(name, grid, values), values, recipe };
  });
  // The runs' names are the sweep's with the grid values appended: each must pass the run-name check too.
  const longest = planned.reduce((a, p) => (p.name.length > a.length ? p.name : a), '');
  if (longest.length > MAX_NAME_LENGTH) {
    throw new LoopError(
      'E_USAGE',
      `the sweep's runs would have names of up to ${longest.length} characters ("${longest.slice(0, 40)}…"), ` +
        `over the ${MAX_NAME_LENGTH}-character limit; choose a shorter --name`,
    );
  }
  for (const p of planned) checkName(p.name, 'sweep run name');
  const taken = planned.filter((p) => existsSync(runPaths(home, p.name).root)).map((p) => p.name);
  if (taken.length > 0) {
    throw new LoopError('E_RUN_EXISTS', `runs named ${taken.join(', ')} already exist; name the sweep with --name`);
  }
  const source = readFileSync(file, 'utf8');
  const runs = planned.map((p) => ({ ...createRun(home, p.recipe, source, p.name), recipe: p.recipe }));
  const manifest: SweepManifest = {
    version: SWEEP_VERSION,
    name,
    createdAt: (params.now ?? (() => new Date()))().toISOString(),
    recipeFile: path.resolve(file),
    sets,
    grid,
    runs: planned.map((p) => ({ name: p.name, values: p.values })),
  };
  mkdirSync(sweepsDir(home), { recursive: true });
  writeSweepManifest(home, manifest);
  return { manifest, runs };
}

// A sweep name is a folder-safe name no sweep and no run has yet: `loop diff NAME` must not be ambiguous.
function checkExplicitName(home: string, name: string): void {
  checkName(name, '--name');
  if (existsSync(sweepFile(home, name)))
    throw new LoopError(
      'E_RUN_EXISTS',
      `a sweep named "${name}" already exists; choose another --name, or compare it with \`loop diff ${name}\``,
    );
  if (existsSync(runPaths(home, name).root))
    throw new LoopError('E_RUN_EXISTS', `a run named "${name}" already exists; choose another --name for the sweep`);
}

function uniqueSweepName(home: string, base: string): string {
  const free = (n: string) => !existsSync(sweepFile(home, n)) && !existsSync(runPaths(home, n).root);
  if (free(base)) return base;
  for (let n = 2; ; n++) if (free(`${base}-${n}`)) return `${base}-${n}`;
}
