import type { CliIO } from '../io.ts';
import { rlMetricNames } from '../../metrics/rl-metric-order.ts';
import type { RunReport } from '../../metrics/read-run-report.ts';
import { table } from './table.ts';
import { formatElapsed, formatMetric } from './format.ts';
import { statusColor } from './status-color.ts';
import { describeProvenance } from '../../provenance/describe-provenance.ts';

// The human view of a report.
export function renderStatus(report: RunReport, io: CliIO): string {
  const s = io.out;
  const end = report.status === 'running' && report.controllerAlive !== false ? Date.now() : Date.parse(report.updatedAt);
  const elapsed = formatElapsed(end - Date.parse(report.createdAt));
  const lines = [
    `${s.bold(report.name)}  ${statusColor(s, report.status)}  iteration ${report.iteration}` +
      (report.stage ? `  stage ${report.stage}` : '') +
      `  elapsed ${elapsed}`,
  ];
  if (report.controllerAlive === false) {
    lines.push(s.yellow(`the controller is gone (crashed or killed); \`loop resume ${report.name}\` continues the run`));
  }
  if (report.stopReason) lines.push(`stopped because: ${report.stopReason}`);
  if (report.error) lines.push(s.red(`error: ${report.error.message}`));
  lines.push(`run folder: ${report.runDir}`);
  if (report.tracking) lines.push(`tracking: ${describeTracking(report.tracking)}`);
  if (report.provenance) lines.push(`provenance: ${describeProvenance(report.provenance)}`);
  const names = metricColumns(report);
  if (report.iterations.length > 0) {
    const gpus = report.iterations.some((it) => (it.metrics['gpu_hours.total'] ?? 0) > 0);
    const rows = [['iter', ...names, 'time', ...(gpus ? ['GPU-h'] : []), 'stages'].map((h) => s.bold(h))];
    for (const it of report.iterations) {
      const stages = Object.entries(it.stages)
        .map(([name, st]) => (st.status === 'succeeded' ? name : `${name}:${st.status}`))
        .join(' ');
      const seconds = it.metrics['time.total.seconds'];
      const time = seconds === undefined ? '—' : formatElapsed(seconds * 1000);
      const gpuHours = gpus ? [formatMetric(it.metrics['gpu_hours.total'])] : [];
      rows.push([String(it.index), ...names.map((n) => formatMetric(it.metrics[n])), time, ...gpuHours, s.dim(stages)]);
    }
    lines.push('', table(rows));
    if (report.earlierIterations > 0) {
      lines.push(s.dim(`(the last ${report.iterations.length} iterations; \`loop status ${report.name} --all\` lists all of them)`));
    }
  }
  if (report.rl) lines.push('', ...renderRlPhase(report, io));
  return lines.join('\n');
}

// The RL phase as its own block: its stages and its metrics (rl_eval first, then the training and filtering figures).
function renderRlPhase(report: RunReport, io: CliIO): string[] {
  const s = io.out;
  const rl = report.rl!;
  const stages = Object.entries(rl.stages)
    .map(([name, st]) => (st.status === 'succeeded' ? name : `${name}:${st.status}`))
    .join(' ');
  const names = rlMetricNames(rl.metrics);
  const rows = [[s.bold('RL metric'), s.bold('value')], ...names.map((n) => [n, formatMetric(rl.metrics[n])])];
  return [`${s.bold('RL phase')}  ${s.dim(`after iteration ${rl.after}: ${stages}`)}`, ...(names.length > 0 ? [table(rows)] : [])];
}

// The main metric first, then other eval metrics: the few columns that fit a terminal.
function metricColumns(report: RunReport): string[] {
  const all = new Set<string>();
  for (const it of report.iterations) for (const name of Object.keys(it.metrics)) all.add(name);
  const rest = [...all].filter((n) => n !== report.mainMetric && n.startsWith('eval.')).sort();
  return [report.mainMetric, ...rest].slice(0, 4);
}

// "3 pending (mlflow 2, notify 1), MLflow run 1f2e…" or "all sent, MLflow run 1f2e…".
function describeTracking(t: NonNullable<RunReport['tracking']>): string {
  const parts = Object.entries(t.pending).filter(([, n]) => n > 0);
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  const pending = total > 0 ? `${total} pending (${parts.map(([sink, n]) => `${sink} ${n}`).join(', ')})` : 'all sent';
  return `${pending}${t.mlflowRunId ? `, MLflow run ${t.mlflowRunId}` : ''}${t.tensorboardDir ? `, TensorBoard ${t.tensorboardDir}` : ''}`;
}
