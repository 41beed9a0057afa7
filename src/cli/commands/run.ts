import { readFileSync } from 'node:fs';
import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loadRecipe } from '../../recipe/load-recipe.ts';
import { createRun } from '../../run/create-run.ts';
import { loopHome } from '../../run/run-paths.ts';
import { checkExecutorsAvailable } from '../../executors/check-executors.ts';
import { driveRun } from './drive.ts';
import { detachController } from './detach.ts';
import { acquireRunLock } from '../../run/run-lock.ts';
import { checkStoreSettings } from '../../store/check-store-settings.ts';

export const runHelp = `Usage: loop run RECIPE [--name NAME] [--set PATH=VALUE]... [--detach] [--home DIR]

Validates the recipe, creates the run folder .loop/runs/NAME/ and runs the loop to its
stop rule, showing progress. Ctrl-C pauses after the current stage (twice: now);
\`loop resume NAME\` continues a paused or failed run.

Options:
  --name NAME        the run's name (default: the recipe's name, made unique)
  --set PATH=VALUE   override a recipe key (repeatable), e.g. --set until.max_iterations=2
  --detach           run in the background (output in the run folder's controller.log); \`loop status\`,
                     \`loop log\`, \`loop pause\` and \`loop stop\` follow and steer it
  --home DIR         the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help         show this help

Exit codes: 0 succeeded, 3 recipe error, 4 a stage failed, 8 the store failed, 130 paused; see docs/reference/exit-codes.md`;

// `loop run RECIPE`: a new run of the recipe, in the foreground.
export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('run', argv, {
    ...HELP_FLAG,
    ...HOME_FLAG,
    name: { type: 'string' },
    set: { type: 'string', multiple: true },
    detach: { type: 'boolean' },
  });
  if (values.help) return io.print(runHelp), 0;
  if (positionals.length !== 1) throw new UsageError('loop run needs one recipe file, e.g. `loop run recipes/quickstart.yaml`');
  const file = positionals[0]!;
  const recipe = loadRecipe(file, { sets: values.set ?? [], checkInputs: true });
  checkExecutorsAvailable(recipe);
  checkStoreSettings(recipe, io.env);
  const home = loopHome(values.home, io.env, io.cwd);
  const { name, paths } = createRun(home, recipe, readFileSync(file, 'utf8'), values.name);
  if (values.detach) return detachController(home, name, paths, io);
  io.error(`run ${io.err.bold(name)} in ${paths.root}`);
  const lock = acquireRunLock(paths.root, { command: 'run' });
  try {
    return await driveRun({ home, name, paths, recipe }, io);
  } finally {
    lock.release();
  }
}
