import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG } from '../parse-flags.ts';
import { LoopError, UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { sendControlRequest } from '../control/control-request.ts';
import { findController } from '../control/find-controller.ts';
import { waitForStatus } from '../control/wait-for-status.ts';

export const pauseHelp = `Usage: loop pause NAME [--now] [--home DIR]

Pauses a running run. By default the running stage finishes first and the controller then exits
cleanly; with --now the running stage is stopped at once (SIGTERM, then SIGKILL to its process group
after 10 s) and runs again from its start on \`loop resume NAME\`.

Options:
  --now         stop the running stage now instead of after it finishes; waits until the run is paused
  --home DIR    the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help    show this help`;

// `loop pause NAME [--now]`: ask the run's controller to pause.
export async function pauseCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('pause', argv, { ...HELP_FLAG, ...HOME_FLAG, now: { type: 'boolean' } });
  if (values.help) return (io.print(pauseHelp), 0);
  if (positionals.length !== 1) throw new UsageError('loop pause needs one run name; `loop ls` lists the runs');
  const name = positionals[0]!;
  const { paths, state, controllerPid } = findController(loopHome(values.home, io.env, io.cwd), name);
  if (state.status === 'paused') {
    io.print(`run ${name} is already paused; \`loop resume ${name}\` continues it`);
    return 0;
  }
  if (state.status !== 'running') {
    throw new LoopError('E_RUN_STATE', `run ${name} has ${state.status}; only a running run can be paused`);
  }
  if (controllerPid === undefined) {
    io.print(
      `run ${name} has no live controller (it crashed or was killed), so nothing is driving it; \`loop resume ${name}\` continues it`,
    );
    return 0;
  }
  sendControlRequest(paths.root, controllerPid, values.now ? 'pause-now' : 'pause', 'loop pause');
  if (!values.now) {
    io.print(
      `run ${name} pauses after its current stage${state.stage ? ` (${state.stage})` : ''} finishes; \`loop status ${name}\` shows when`,
    );
    return 0;
  }
  const status = await waitForStatus(paths.state, ['paused', 'failed', 'succeeded', 'stopped'], 60_000, paths.root);
  io.print(status === 'paused' ? `run ${name} is paused; \`loop resume ${name}\` continues it` : `run ${name} is ${status}`);
  return status === 'paused' ? 0 : 1;
}
