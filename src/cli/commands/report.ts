import path from 'node:path';
import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { checkName } from '../../recipe/check-name.ts';
import { writeReport } from '../../report/write-report.ts';

export const reportHelp = `Usage: loop report RUN [--out FILE.html] [--json] [--home DIR]

Writes one self-contained HTML page about a run: a chart per metric over its iterations (wall
time and GPU-hours included), the training curves its stages wrote to $LOOP_CURVES, a timeline
of the stages in each iteration, selection and voting statistics, the status and stop reason,
and each iteration's provenance.json where there is one. The charting library is inlined: the
page needs no network to be viewed.

Options:
  --out FILE    where to write the page (default RUN.html in the current folder)
  --json        print what was written as JSON: {run, out, bytes, iterations, metricCharts, curveCharts}
  --home DIR    the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help    show this help

Exit codes: 0, 2 for a bad argument or an --out that cannot be written, 5 when no run has that name`;

// `loop report RUN --out FILE`: parse, write the page, say where it is.
export async function reportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('report', argv, {
    ...HELP_FLAG,
    ...HOME_FLAG,
    ...JSON_FLAG,
    out: { type: 'string', short: 'o' },
  });
  if (values.help) return (io.print(reportHelp), 0);
  if (positionals.length !== 1)
    throw new UsageError('loop report needs one run name, e.g. `loop report q --out q.html`; `loop ls` lists the runs');
  const run = positionals[0]!;
  if (run.includes('@')) throw new UsageError(`loop report takes a run name, not "${run}": the page covers every iteration`);
  checkName(run);
  const out = path.resolve(io.cwd, values.out ?? `${run}.html`);
  const written = writeReport({ home: loopHome(values.home, io.env, io.cwd), run, out });
  if (values.json) io.print(JSON.stringify(written, null, 2));
  else {
    const kb = (written.bytes / 1024).toFixed(0);
    io.print(
      `wrote ${written.out} (${kb} KiB): ${written.iterations} iterations, ${written.metricCharts} metric charts, ` +
        `${written.curveCharts} curve charts`,
    );
  }
  return 0;
}
