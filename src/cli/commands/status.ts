import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { RECENT_ITERATIONS, readRunReport } from '../../metrics/read-run-report.ts';
import { renderStatus } from '../output/render-status.ts';

export const statusHelp = `Usage: loop status NAME [--all] [--json] [--home DIR]

Shows where a run stands: its status, iteration, stage, elapsed time, why it stopped,
a table of the last ${RECENT_ITERATIONS} iterations' metrics, their stages' wall time and, when stages hold GPUs, their GPU-hours
(--json has every metric, time.* and gpu_hours.* included), and the RL phase's stages and metrics when it has one.

Options:
  --all         every iteration, not only the last ${RECENT_ITERATIONS} (reads the whole index)
  --json        print the report as JSON (fields in docs/reference/cli/status.md)
  --home DIR    the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help    show this help`;

// `loop status NAME`: the run's state and a table of its iterations' metrics.
export async function statusCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('status', argv, { ...HELP_FLAG, ...HOME_FLAG, ...JSON_FLAG, all: { type: 'boolean' } });
  if (values.help) return (io.print(statusHelp), 0);
  if (positionals.length !== 1) throw new UsageError('loop status needs one run name; `loop ls` lists the runs');
  const home = loopHome(values.home, io.env, io.cwd);
  const report = readRunReport(home, positionals[0]!, values.all ? {} : { recent: RECENT_ITERATIONS });
  if (values.json) io.print(JSON.stringify(report, null, 2));
  else io.print(renderStatus(report, io));
  return 0;
}
