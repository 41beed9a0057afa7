import type { CliIO } from '../io.ts';
import { readRunRecipe } from '../../run-folder/read-run-recipe.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG } from '../parse-flags.ts';
import { LoopError, UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { describeRequester, sendControlRequest } from '../control/control-request.ts';
import { acquireRunLock } from '../../lock/run-lock.ts';
import { findController } from '../control/find-controller.ts';
import { waitForStatus } from '../control/wait-for-status.ts';
import { readRunState } from '../../run-folder/run-state.ts';

export const stopHelp = `Usage: loop stop NAME [--home DIR]

Ends a run for good: a running stage is stopped (SIGTERM, then SIGKILL to its process group after
10 s) and the run's status becomes stopped. A stopped run cannot be resumed; its outputs stay.

Options:
  --home DIR    the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help    show this help`;

// `loop stop NAME`: end a run for good, through its controller if one lives, else directly.
export async function stopCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('stop', argv, { ...HELP_FLAG, ...HOME_FLAG });
  if (values.help) return (io.print(stopHelp), 0);
  // The heavy parts load only now, so `--help` answers at once (test/cli/help-without-engine.test.ts).
  const { startController } = await import('../../engine/controller.ts');
  const { getExecutor } = await import('../../executors/registry.ts');
  if (positionals.length !== 1) throw new UsageError('loop stop needs one run name; `loop ls` lists the runs');
  const name = positionals[0]!;
  const { paths, state, controllerPid } = findController(loopHome(values.home, io.env, io.cwd), name);
  if (state.status === 'succeeded' || state.status === 'stopped') {
    throw new LoopError('E_RUN_STATE', `run ${name} has already ${state.status}; nothing to stop`);
  }
  if (controllerPid !== undefined) {
    sendControlRequest(paths.root, controllerPid, 'stop', 'loop stop');
    const status = await waitForStatus(paths.state, ['stopped', 'succeeded', 'failed'], 60_000, paths.root);
    io.print(`run ${name} is ${status}`);
    return status === 'stopped' ? 0 : 1;
  }
  // No controller: take the run, collect or cancel a stage left running by a dead controller, and record the stop.
  const lock = acquireRunLock(paths.root, { command: 'stop' });
  try {
    // Read again under the lock: a controller may have moved the run on since the first look.
    const current = readRunState(paths.state);
    if (current.status === 'succeeded' || current.status === 'stopped') {
      throw new LoopError('E_RUN_STATE', `run ${name} has already ${current.status}; nothing to stop`);
    }
    const recipe = readRunRecipe(paths);
    const by = describeRequester('loop stop');
    const controller = startController({
      name,
      paths,
      recipe,
      snapshot: current.snapshot,
      createdAt: current.createdAt,
      autoResume: false,
      startedBy: by,
      deps: { executorFor: getExecutor, now: () => new Date(), sleep: () => Promise.resolve() },
    });
    controller.stop(by);
    const final = await controller.done;
    io.print(`run ${name} is ${final.status}`);
    if (recipe.tracking || recipe.notify) {
      // No controller is left to tell the trackers: the stop (MLflow's KILLED, run_finished) is sent from here.
      const { sendPendingTracking } = await import('../drive/send-pending-tracking.ts');
      await sendPendingTracking(paths, recipe, final, io, 15_000).catch((error: Error) => io.error(error.message));
    }
    return final.status === 'stopped' ? 0 : 1;
  } finally {
    lock.release();
  }
}
