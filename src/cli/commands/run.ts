import { readFileSync } from 'node:fs';
import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loadRecipe } from '../../recipe/load-recipe.ts';
import { createRun } from '../../run-folder/create-run.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { detachController } from '../control/detach.ts';
import { acquireRunLock } from '../../lock/run-lock.ts';
import { parseLimits, parseMaxParallel } from '../parse-limits.ts';

export const runHelp = `Usage: loop run RECIPE... [--name NAME] [--set PATH=VALUE]... [--max-parallel N] [--limit KIND=N]...
                [--detach] [--home DIR]

Validates the recipe, creates the run folder .loop/runs/NAME/ and runs the loop to its
stop rule, showing progress. Ctrl-C pauses after the current stage (twice: now);
\`loop resume NAME\` continues a paused or failed run.

With several recipes, one process drives one run of each (every recipe is validated before
any run is created); --set applies to all of them. \`loop status\`, \`loop pause\`, \`loop stop\`
and \`loop resume\` work on each run by its name as usual.

Options:
  --name NAME        the run's name (default: the recipe's name, made unique); one recipe only
  --set PATH=VALUE   override a recipe key (repeatable), e.g. --set until.max_iterations=2
  --max-parallel N   with several recipes: at most N runs at once, the others start as runs end
  --limit KIND=N     at most N stages on executor KIND (local, slurm, ssh) at once, across all the
                     runs (repeatable), e.g. --limit local=1 --limit slurm=8
  --detach           run in the background (output in the run folder's controller.log); \`loop status\`,
                     \`loop log\`, \`loop pause\` and \`loop stop\` follow and steer it; one recipe only
  --home DIR         the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help         show this help

Exit codes: 0 succeeded, 3 recipe error, 4 a stage failed, 8 the store failed, 130 paused; see docs/reference/exit-codes.md`;

// `loop run RECIPE...`: a new run of each recipe, in the foreground.
export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('run', argv, {
    ...HELP_FLAG,
    ...HOME_FLAG,
    name: { type: 'string' },
    set: { type: 'string', multiple: true },
    detach: { type: 'boolean' },
    'max-parallel': { type: 'string' },
    limit: { type: 'string', multiple: true },
  });
  if (values.help) return (io.print(runHelp), 0);
  // The heavy parts load only now, so `--help` answers at once (test/cli/help-without-engine.test.ts).
  const { checkExecutorsAvailable } = await import('../../executors/check-executors.ts');
  const { checkStoreSettings } = await import('../../store/check-store-settings.ts');
  const { driveRun, driveRuns, summarizeMany } = await import('../drive/drive-runs.ts');
  if (positionals.length === 0) throw new UsageError('loop run needs a recipe file, e.g. `loop run recipes/quickstart.yaml`');
  const several = positionals.length > 1;
  if (several && values.name !== undefined)
    throw new UsageError("--name names one run; with several recipes each run takes its recipe's name");
  if (several && values.detach)
    throw new UsageError('--detach takes one recipe; start each in the background with its own `loop run RECIPE --detach`');
  const maxParallel = parseMaxParallel(values['max-parallel']);
  const limits = parseLimits(values.limit);
  // Every recipe is checked before any run is created: a mistake in the last one leaves nothing half-started.
  const recipes = positionals.map((file) => {
    const recipe = loadRecipe(file, { sets: values.set ?? [], checkInputs: true });
    checkExecutorsAvailable(recipe);
    checkStoreSettings(recipe, io.env);
    return { file, recipe };
  });
  const home = loopHome(values.home, io.env, io.cwd);
  const runs = recipes.map(({ file, recipe }) => ({ home, recipe, ...createRun(home, recipe, readFileSync(file, 'utf8'), values.name) }));
  if (values.detach) return detachController(home, runs[0]!.name, runs[0]!.paths, io);
  const locks = runs.map((run) => acquireRunLock(run.paths.root, { command: 'run' }));
  try {
    for (const run of runs) io.error(`run ${io.err.bold(run.name)} in ${run.paths.root}`);
    if (!several) return await driveRun(runs[0]!, io, { limits });
    return summarizeMany(await driveRuns(runs, io, { maxParallel, limits }), io);
  } finally {
    for (const lock of locks) lock.release();
  }
}
