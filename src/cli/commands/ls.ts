import type { CliIO } from '../io.ts';
import { parseFlags, HELP_FLAG, HOME_FLAG, JSON_FLAG } from '../parse-flags.ts';
import { UsageError } from '../../errors/loop-error.ts';
import { loopHome } from '../../run-folder/run-paths.ts';
import { listRunNames, RECENT_ITERATIONS, readRunReport, type RunReport } from '../../metrics/read-run-report.ts';
import { table } from '../output/table.ts';
import { formatMetric } from '../output/format.ts';
import { statusColor } from '../output/status-color.ts';
import type { RunStatus } from '../../run-folder/run-state.ts';

export const lsHelp = `Usage: loop ls [--json] [--home DIR]

Lists every run: name, status, iteration, stage, main metric of the last iteration, last update.

Options:
  --json        print [{"name","status","iteration","stage","mainMetric","value","updatedAt"}]
  --home DIR    the folder holding runs/ (default $LOOP_HOME, else ./.loop)
  -h, --help    show this help`;

interface RunLine {
  name: string;
  status: RunStatus | 'unreadable';
  iteration: number | null;
  stage: string | null;
  mainMetric: string | null;
  value: number | null;
  updatedAt: string;
}

// `loop ls`: every run in the home, one line each.
export async function lsCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags('ls', argv, { ...HELP_FLAG, ...HOME_FLAG, ...JSON_FLAG });
  if (values.help) return (io.print(lsHelp), 0);
  if (positionals.length > 0) throw new UsageError('loop ls takes no arguments; `loop status NAME` shows one run');
  const home = loopHome(values.home, io.env, io.cwd);
  const runs = listRunNames(home).flatMap((name): RunLine[] => {
    let report: RunReport;
    try {
      report = readRunReport(home, name, { recent: RECENT_ITERATIONS });
      // A main metric none of the last iterations reported: look further back, through the whole index.
      if (report.earlierIterations > 0 && !report.iterations.some((it) => it.metrics[report.mainMetric] !== undefined)) {
        report = readRunReport(home, name);
      }
    } catch (error) {
      // One damaged run must not hide the others: it is listed as unreadable, with the reason on stderr.
      io.error(`loop: run ${name}: ${(error as Error).message}`);
      return [{ name, status: 'unreadable', iteration: null, stage: null, mainMetric: null, value: null, updatedAt: '' }];
    }
    const last = [...report.iterations].reverse().find((it) => it.metrics[report.mainMetric] !== undefined);
    return [
      {
        name: report.name,
        status: report.status,
        iteration: report.iteration,
        stage: report.stage,
        mainMetric: report.mainMetric,
        value: last?.metrics[report.mainMetric] ?? null,
        updatedAt: report.updatedAt,
      },
    ];
  });
  runs.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  if (values.json) {
    io.print(JSON.stringify(runs, null, 2));
    return 0;
  }
  if (runs.length === 0) {
    io.print(`no runs under ${home}; start one with \`loop run recipes/quickstart.yaml\``);
    return 0;
  }
  const s = io.out;
  const rows = [['name', 'status', 'iter', 'stage', 'main metric', 'updated'].map((h) => s.bold(h))];
  for (const r of runs) {
    const status = r.status === 'unreadable' ? s.red(r.status) : statusColor(s, r.status);
    const metric = r.mainMetric ? `${r.mainMetric} ${formatMetric(r.value ?? undefined)}` : '-';
    rows.push([r.name, status, r.iteration === null ? '-' : String(r.iteration), r.stage ?? '-', metric, r.updatedAt || '-']);
  }
  io.print(table(rows));
  return 0;
}
