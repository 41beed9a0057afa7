import { existsSync, readFileSync } from 'node:fs';
import { readRunRecipe } from '../../run-folder/read-run-recipe.ts';
import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG } from '../parse-flags.ts';
import { LoopError, RunNotFoundError, UsageError } from '../../errors/loop-error.ts';
import { loopHome, runPaths } from '../../run-folder/run-paths.ts';
import type { RunState } from '../../run-folder/run-state.ts';
import { acquireRunLock } from '../../lock/run-lock.ts';

export const resumeHelp = `Usage: loop resume NAME [--recipe FILE [--force]] [--detach] [--home DIR]

Continues a paused or failed run, or one whose controller crashed or was killed: finished stages are
never run again; a stage that was still running is collected or followed if its process lives on, and
run again from its start otherwise. For a finished run with tracking or notify, sends what is still
pending in its outbox (docs/tracking.md).

Options:
  --recipe FILE  continue with an edited recipe: the changed keys are shown, and accepted when they touch
                 only stages that have not run yet in the current iteration
  --force        accept an edit that changes finished work anyway (recorded in the run's history)
  --detach       continue in the background (output in the run folder's controller.log)
  --home DIR     the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help     show this help`;

// `loop resume NAME`: continue a run from its persisted snapshot (or start a run created with --detach).
export async function resumeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('resume', argv, {
    ...HELP_FLAG,
    ...HOME_FLAG,
    recipe: { type: 'string' },
    force: { type: 'boolean' },
    detach: { type: 'boolean' },
  });
  if (values.help) return (io.print(resumeHelp), 0);
  // The heavy parts load only now, so `--help` answers at once (test/cli/help-without-engine.test.ts).
  const { loadRunState } = await import('../../engine/load-run-state.ts');
  if (positionals.length !== 1) throw new UsageError('loop resume needs one run name; `loop ls` lists the runs');
  if (values.force && !values.recipe) throw new UsageError('--force only applies with --recipe FILE');
  const name = positionals[0]!;
  const home = loopHome(values.home, io.env, io.cwd);
  const paths = runPaths(home, name);
  if (!existsSync(paths.recipe)) throw new RunNotFoundError(name, home);
  // One controller per run: the lock is taken before the state is read (or rebuilt) and held while driving.
  const lock = acquireRunLock(paths.root, { command: values.detach ? 'resume --detach' : 'resume' });
  try {
    let recipe = readRunRecipe(paths);
    let state: RunState | undefined = existsSync(paths.state)
      ? await loadRunState(paths, recipe, name, (message) => io.error(io.err.yellow(message)))
      : undefined;
    if ((state?.status === 'succeeded' || state?.status === 'stopped') && (recipe.tracking || recipe.notify)) {
      // A finished run whose trackers were down at its end: resume sends what waits in its outbox.
      const { sendPendingTracking } = await import('../drive/send-pending-tracking.ts');
      return await sendPendingTracking(paths, recipe, state, io);
    }
    if (state?.status === 'succeeded' || state?.status === 'stopped') {
      throw new LoopError('E_RUN_STATE', `run ${name} has ${state.status}; nothing to resume (\`loop status ${name}\` shows it)`);
    }
    // What continuing needs (the recipe schema, XState, execa) loads only now: a finished run answers at once.
    if (values.recipe) {
      if (!state) throw new LoopError('E_RUN_STATE', `run ${name} has not started yet; nothing to edit`);
      const { loadRecipe } = await import('../../recipe/load-recipe.ts');
      const { checkExecutorsAvailable } = await import('../../executors/check-executors.ts');
      const { applyRecipeEdit } = await import('../../engine/apply-recipe-edit.ts');
      const { describeRequester } = await import('../control/control-request.ts');
      const edited = loadRecipe(values.recipe, { checkInputs: true });
      checkExecutorsAvailable(edited);
      const result = applyRecipeEdit(paths, state, recipe, edited, readFileSync(values.recipe, 'utf8'), {
        force: values.force ?? false,
        by: describeRequester('loop resume --recipe'),
      });
      for (const c of result.changes) {
        const mark = c.verdict === 'accepted' ? 'changed' : 'forced ';
        io.error(`${mark}  ${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}  (${c.reason})`);
      }
      if (result.changes.length === 0) io.error('the edited recipe changes nothing');
      state = result.state;
      recipe = edited;
    }
    if (values.detach) {
      lock.release();
      const { detachController } = await import('../control/detach.ts');
      return await detachController(home, name, paths, io);
    }
    io.error(
      state
        ? `resuming run ${io.err.bold(name)} at iteration ${state.iteration}${state.stage ? `, stage ${state.stage}` : ''}`
        : `starting run ${io.err.bold(name)}`,
    );
    const { driveRun } = await import('../drive/drive-runs.ts');
    return await driveRun(
      { home, name, paths, recipe, snapshot: state?.snapshot, createdAt: state?.createdAt, haltedAt: state?.updatedAt },
      io,
    );
  } finally {
    lock.release();
  }
}
