import type { CliIO } from '../io.ts';
import { readRunReport } from '../../metrics/read-run-report.ts';
import { table } from '../output/table.ts';
import { formatMetric } from '../output/format.ts';
import { statusColor } from '../output/status-color.ts';

// One table for the runs a process drove together: status, iteration, main metric of the last iteration, why it ended.
export function summarizeRuns(runs: Array<{ name: string; home: string; started: boolean }>, io: CliIO): string {
  const s = io.out;
  const rows = [['run', 'status', 'iter', 'main metric', 'why'].map((h) => s.bold(h))];
  for (const run of runs) {
    if (!run.started) {
      rows.push([run.name, s.yellow('not started'), '-', '-', 'interrupted before it started']);
      continue;
    }
    const report = readRunReport(run.home, run.name);
    const last = report.iterations.findLast((it) => it.metrics[report.mainMetric] !== undefined);
    rows.push([
      run.name,
      statusColor(s, report.status),
      String(report.iteration),
      `${report.mainMetric} ${formatMetric(last?.metrics[report.mainMetric])}`,
      report.stopReason ?? report.error?.message ?? (report.stage ? `at ${report.stage}` : ''),
    ]);
  }
  return table(rows);
}
