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
  startedAt: string | null;
  bars: TimelineBar[];
}

// The stages of each iteration as bars on its own clock, in the order they started; a stage still running
// ends at `now`.
export function stageTimeline(iterations: IterationSummary[], now: number): IterationTimeline[] {
  return iterations.map((it) => {
    const stages = Object.entries(it.stages).sort(([, a], [, b]) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    if (stages.length === 0) return { iteration: it.index, startedAt: null, bars: [] };
    const origin = Date.parse(stages[0]![1].startedAt);
    const bars = stages.map(([stage, s]) => {
      const start = Date.parse(s.startedAt);
      const end = s.endedAt ? Date.parse(s.endedAt) : now;
      return { stage, status: s.status, start: seconds(start - origin), end: seconds(Math.max(end, start) - origin), attempts: s.attempt };
    });
    return { iteration: it.index, startedAt: stages[0]![1].startedAt, bars };
  });
}

// Milliseconds as seconds with three decimals, for compact bar offsets.
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
