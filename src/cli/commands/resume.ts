import { existsSync, readFileSync } from 'node:fs';
import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG } from '../parse-flags.ts';
import { LoopError, RunNotFoundError, UsageError } from '../../errors/loop-error.ts';
import { loopHome, runPaths } from '../../run/run-paths.ts';
import { readRunState } from '../../run/run-state.ts';
import { controllerAlive } from '../../run/process-alive.ts';
import type { Recipe } from '../../recipe/types.ts';
import { driveRun } from './drive.ts';

export const resumeHelp = `Usage: loop resume NAME [--home DIR]

Continues a paused or failed run, or one whose controller crashed: finished stages are kept,
the stage that was paused, failed or interrupted runs again from its start.

Options:
  --home DIR    the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help    show this help`;

// `loop resume NAME`: continue a run from its persisted snapshot.
export async function resumeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('resume', argv, { ...HELP_FLAG, ...HOME_FLAG });
  if (values.help) return io.print(resumeHelp), 0;
  if (positionals.length !== 1) throw new UsageError('loop resume needs one run name; `loop ls` lists the runs');
  const name = positionals[0]!;
  const home = loopHome(values.home, io.env, io.cwd);
  const paths = runPaths(home, name);
  if (!existsSync(paths.state)) throw new RunNotFoundError(name, home);
  const state = readRunState(paths.state);
  if (state.status === 'succeeded' || state.status === 'stopped') {
    throw new LoopError('E_RUN_STATE', `run ${name} has ${state.status}; nothing to resume (\`loop status ${name}\` shows it)`);
  }
  if (state.status === 'running' && controllerAlive(state.controller) !== false) {
    const c = state.controller!;
    throw new LoopError('E_RUN_STATE', `run ${name} is being run by process ${c.pid} on ${c.host}; wait for it or pause it first`);
  }
  const recipe = JSON.parse(readFileSync(paths.recipe, 'utf8')) as Recipe;
  io.error(`resuming run ${io.err.bold(name)} at iteration ${state.iteration}${state.stage ? `, stage ${state.stage}` : ''}`);
  return driveRun({ home, name, paths, recipe, snapshot: state.snapshot, createdAt: state.createdAt }, io);
}
