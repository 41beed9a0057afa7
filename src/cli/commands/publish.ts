import { existsSync } from 'node:fs';
import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { sleep } from '../../time/sleep.ts';
import { RunNotFoundError, UsageError } from '../../errors/loop-error.ts';
import { loopHome, runPaths } from '../../run-folder/run-paths.ts';
import { readRunRecipe } from '../../run-folder/read-run-recipe.ts';
import { readRunState } from '../../run-folder/run-state.ts';
import { acquireRunLock } from '../../lock/run-lock.ts';

export const publishHelp = `Usage: loop publish NAME [--json] [--home DIR]

Publishes every finished stage and iteration of a run to its store again: only files whose hash
differs from what the store holds are sent, and a branch that already holds everything gets no
commit. Use it after an upload failed in a run that has ended, or to check that a run is fully
published (it then reports 0 commits).

Options:
  --json      print {commits, files} as JSON
  --home DIR  the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help  show this help

Exit codes: 0, 5 when no run has that name, 8 when the store fails`;

// `loop publish NAME`: parse, publish everything again under the run's lock, print what it took.
export async function publishCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('publish', argv, { ...HELP_FLAG, ...HOME_FLAG, ...JSON_FLAG });
  if (values.help) return (io.print(publishHelp), 0);
  // The heavy parts load only now, so `--help` answers at once (test/cli/help-without-engine.test.ts).
  const { openRunStore } = await import('../../store/run-store.ts');
  if (positionals.length !== 1) throw new UsageError('loop publish needs one run name; `loop ls` lists the runs');
  const name = positionals[0]!;
  const home = loopHome(values.home, io.env, io.cwd);
  const paths = runPaths(home, name);
  if (!existsSync(paths.state)) throw new RunNotFoundError(name, home);
  const lock = acquireRunLock(paths.root, { command: 'publish' });
  try {
    const store = openRunStore({
      home,
      run: name,
      paths,
      recipe: readRunRecipe(paths),
      env: io.env,
      now: () => new Date(),
      sleep,
      report: (line) => io.error(line),
    });
    await store.publishAll(readRunState(paths.state).status === 'succeeded');
    if (values.json) io.print(JSON.stringify(store.tally));
    else io.print(`published run ${name} to ${store.backend.where}: ${store.tally.commits} commit(s), ${store.tally.files} file(s) sent`);
    return 0;
  } finally {
    lock.release();
  }
}
