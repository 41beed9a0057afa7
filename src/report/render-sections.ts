import type { ReportData } from './report-data.ts';
import { cell, escapeHtml } from './html.ts';
import { rlMetricNames } from '../metrics/rl-metric-order.ts';

const STAGE_COLORS: Record<string, string> = {
  sample_rm: '#8e6bbf',
  grade: '#b07cc6',
  train_rm: '#c9514a',
  sample_sft: '#4f8fc0',
  score: '#e0a43a',
  select: '#5aa469',
  train_sft: '#2f6db5',
  eval: '#3a3a3a',
  rl_sample: '#6a9fd0',
  rl_grade: '#c08ed4',
  rl_filter: '#7cbf86',
  rl_train: '#1d4f8f',
  rl_eval: '#5a5a5a',
};

// The stages of each iteration (and the RL phase's) as bars on one shared scale (the longest lane spans the full width).
export function renderTimeline(data: ReportData): string {
  const rows = data.timeline.filter((t) => t.bars.length > 0);
  if (rows.length === 0) return '<p class="none">No stage has run yet.</p>';
  const span = Math.max(...rows.flatMap((t) => t.bars.map((b) => b.end)), 0.001);
  const body = rows
    .map((t) => {
      const total = Math.max(...t.bars.map((b) => b.end));
      const bars = t.bars
        .map((b) => {
          const left = (100 * b.start) / span;
          const width = Math.max((100 * (b.end - b.start)) / span, 0.3);
          const title = `${b.stage}: ${(b.end - b.start).toFixed(2)} s, ${b.status}${b.attempts > 1 ? `, attempt ${b.attempts}` : ''}`;
          const color = STAGE_COLORS[b.stage] ?? '#777';
          return (
            `<div class="bar ${escapeHtml(b.status)}" ` +
            `style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%;background:${color}" title="${escapeHtml(title)}"></div>`
          );
        })
        .join('');
      const label = escapeHtml(t.label ?? String(t.iteration));
      return (
        `<div class="lane"><span class="lane-label">${label}</span><div class="track">${bars}</div><span ` +
        `class="lane-total">${total.toFixed(1)} s</span></div>`
      );
    })
    .join('\n');
  const stages = [...new Set(rows.flatMap((t) => t.bars.map((b) => b.stage)))];
  const legend = stages.map((s) => `<span><i style="background:${STAGE_COLORS[s] ?? '#777'}"></i>${escapeHtml(s)}</span>`).join('');
  return `<div class="timeline" data-iterations="${rows.length}">${body}</div><div class="legend">${legend}</div>`;
}

// Per iteration: the select stage's metrics, rows added and removed, vote agreement with the previous iteration.
export function renderSelection(data: ReportData): string {
  if (data.selection.length === 0) return '<p class="none">No iteration ran a select stage.</p>';
  const names = [...new Set(data.selection.flatMap((s) => Object.keys(s.metrics)))].sort();
  const head = ['iteration', ...names.map((n) => n.replace(/_/g, ' ')), 'rows vs previous', 'same vote as previous']
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const body = data.selection
    .map((s) => {
      const rows = s.rows ? `+${s.rows.added} −${s.rows.removed} (${s.rows.left} → ${s.rows.right})` : '—';
      const votes = s.votes && s.votes.rate !== null ? `${s.votes.agree}/${s.votes.queries} (${(100 * s.votes.rate).toFixed(1)}%)` : '—';
      const cells = [String(s.iteration), ...names.map((n) => cell(s.metrics[n])), rows, votes];
      return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table class="selection"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

// Each iteration's provenance.json as a key/value table.
export function renderProvenance(data: ReportData): string {
  if (data.provenance.length === 0) return '<p class="none">No iteration has a provenance.json.</p>';
  return data.provenance
    .map((p) => {
      const rows = p.entries.map((e) => `<tr><th>${escapeHtml(e.path)}</th><td>${escapeHtml(e.value)}</td></tr>`).join('');
      const error = p.error ? `<p class="error">${escapeHtml(p.error)}</p>` : '';
      return `<details open><summary>iteration ${p.iteration}</summary>${error}<table class="kv">${rows}</table></details>`;
    })
    .join('\n');
}

// The run's status line, why it stopped, and its error if any.
export function renderSummary(data: ReportData): string {
  const items = [
    ['status', `<span class="status ${escapeHtml(data.status)}">${escapeHtml(data.status)}</span>`],
    ['stop reason', data.stopReason ? escapeHtml(data.stopReason) : '<span class="none">not stopped</span>'],
    ...(data.error ? [['error', `<span class="error">${escapeHtml(data.error)}</span>`]] : []),
    ['iterations', String(data.iterations.length)],
    ['main metric', escapeHtml(data.mainMetric)],
    ['started', escapeHtml(data.createdAt)],
    ['last change', escapeHtml(data.updatedAt)],
    ['report made', escapeHtml(data.generatedAt)],
  ];
  return `<dl class="summary">${items.map(([k, v]) => `<dt>${k}</dt><dd id="summary-${k!.replace(/ /g, '-')}">${v}</dd>`).join('')}</dl>`;
}

// The RL phase: its stages' outcomes, then its metrics (rl_eval's first, as `loop status` shows them) as a key/value table.
export function renderRlPhase(data: ReportData): string {
  if (!data.rl) return '<p class="none">This run has no RL phase, or it has not started.</p>';
  const stages = Object.entries(data.rl.stages)
    .map(([stage, status]) => `<span class="status ${escapeHtml(status)}">${escapeHtml(stage)}: ${escapeHtml(status)}</span>`)
    .join(' ');
  const names = rlMetricNames(data.rl.metrics);
  const rows = names.map((n) => `<tr><th>${escapeHtml(n)}</th><td>${escapeHtml(cell(data.rl!.metrics[n]))}</td></tr>`).join('');
  return (
    `<p class="rl-stages">After iteration ${data.rl.after}: ${stages}</p>` +
    (rows ? `<table class="kv rl-metrics">${rows}</table>` : '<p class="none">No RL stage has reported metrics yet.</p>')
  );
}
