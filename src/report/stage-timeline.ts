import type { IterationSummary } from '../metrics/read-run-report.ts';

// One stage's bar on the report's timeline: offsets in seconds from the iteration's first start.
export interface TimelineBar {
  stage: string;
  status: string;
  start: number;
  end: number;
  attempts: number;
}

export interface IterationTimeline {
  iteration: number;
  /** The lane's label where it is not the iteration: `RL` for the RL phase (which ran after `iteration`). */
  label?: string;
  startedAt: string | null;
  bars: TimelineBar[];
}

// The stages of each iteration as bars on its own clock, in the order they started; a stage still running
// ends at `now`. The RL phase, when given, is one more lane after the last iteration's.
export function stageTimeline(
  iterations: IterationSummary[],
  now: number,
  rl?: { after: number; stages: IterationSummary['stages'] },
): IterationTimeline[] {
  const lanes = rl ? [...iterations, { index: rl.after, metrics: {}, stages: rl.stages, label: 'RL' }] : iterations;
  return lanes.map((it) => {
    const label = 'label' in it ? { label: it.label } : {};
    const stages = Object.entries(it.stages).sort(([, a], [, b]) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    if (stages.length === 0) return { iteration: it.index, ...label, startedAt: null, bars: [] };
    const origin = Date.parse(stages[0]![1].startedAt);
    const bars = stages.map(([stage, s]) => {
      const start = Date.parse(s.startedAt);
      const end = s.endedAt ? Date.parse(s.endedAt) : now;
      return { stage, status: s.status, start: seconds(start - origin), end: seconds(Math.max(end, start) - origin), attempts: s.attempt };
    });
    return { iteration: it.index, ...label, startedAt: stages[0]![1].startedAt, bars };
  });
}

// Milliseconds as seconds with three decimals, for compact bar offsets.
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
