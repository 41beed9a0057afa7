import { formatMetricValue } from '../../until/format-metric-value.ts';

// The one-paragraph `text` of a notification (Slack shows it as the message): what happened, to which run, and
// the numbers that matter.
export function notifyText(run: string, data: Record<string, unknown>): string {
  const iteration = data.iteration as number | undefined;
  switch (data.event) {
    case 'iteration_finished': {
      const metrics = (data.metrics ?? {}) as Record<string, number>;
      const deltas = (data.deltas ?? {}) as Record<string, number>;
      const shown = Object.entries(metrics)
        .filter(([key]) => !key.startsWith('time.') && !key.startsWith('gpu_hours.'))
        .map(([key, value]) => `${key} = ${formatMetricValue(value)}${deltaText(deltas[key])}`);
      return `loop ${run}: iteration ${iteration} finished${shown.length ? `: ${shown.join(', ')}` : ''}`;
    }
    case 'run_finished': {
      const rl = Object.entries((data.rl ?? {}) as Record<string, number>)
        .filter(([key]) => key.startsWith('rl_eval.'))
        .map(([key, value]) => `${key} = ${formatMetricValue(value)}`);
      const reason = data.stopReason ? ` (${String(data.stopReason)})` : '';
      return `loop ${run}: run ${String(data.status)}${reason}${rl.length ? `; RL phase: ${rl.join(', ')}` : ''}`;
    }
    case 'target_reached':
      return `loop ${run}: target reached: ${String(data.stopReason)}`;
    case 'paused': {
      const where = data.stage ? `, stage ${String(data.stage)}` : '';
      return `loop ${run}: paused at iteration ${iteration}${where}; \`loop resume ${run}\` continues it`;
    }
    case 'stage_failed': {
      const tail = (data.logTail ?? []) as string[];
      const head = `loop ${run}: stage ${String(data.stage)} of iteration ${iteration} failed: ${String(data.message)}`;
      return tail.length > 0 ? `${head}\n\`\`\`\n${tail.join('\n')}\n\`\`\`` : head;
    }
    default:
      return `loop ${run}: ${String(data.event)}`;
  }
}

function deltaText(delta: number | undefined): string {
  if (delta === undefined || delta === 0) return '';
  return ` (${delta > 0 ? '+' : '−'}${formatMetricValue(Math.abs(delta))})`;
}
