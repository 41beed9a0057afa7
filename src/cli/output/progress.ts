import type { CliIO } from '../io.ts';
import type { RunEvent } from '../../run-folder/events-log.ts';
import type { RunState } from '../../run-folder/run-state.ts';
import type { RunPaths } from '../../run-folder/run-paths.ts';
import { readStageRecord } from '../../run-folder/stage-record.ts';
import { logTail } from '../../fs/log-tail.ts';
import { formatElapsed, formatMetric } from './format.ts';

export interface Progress {
  transition(event: RunEvent, state: RunState): void;
  /** A line about other work (uploads), printed above the live line. */
  note(line: string): void;
  close(): void;
}

// Live progress for `loop run`: in a terminal one line redrawn in place (iteration, stage, elapsed, last log line);
// elsewhere one plain line per transition, so logs are not flooded. With a `label` (several runs in one process)
// every line starts with it and nothing is redrawn: the runs' lines interleave.
export function createProgress(io: CliIO, paths: RunPaths, now: () => number, label?: string): Progress {
  const started = now();
  const live = Boolean(io.stderr.isTTY) && label === undefined;
  const prefix = label === undefined ? '' : `${io.err.bold(label)} `;
  let current: { iteration: number; stage: string; since: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const s = io.err;

  const clearLine = () => live && io.stderr.write('\r\x1b[2K');
  const draw = () => {
    if (!current) return;
    const tail =
      logTail(paths.stageLog(current.iteration, current.stage), 3)
        .filter((l) => !l.startsWith('=== loop:'))
        .at(-1) ?? '';
    const width = Math.max(20, ((io.stdout as { columns?: number }).columns ?? 100) - 50);
    const line =
      `iteration ${current.iteration} · ${s.bold(current.stage)} · ${formatElapsed(now() - current.since)} · total ` +
      `${formatElapsed(now() - started)}  ${s.dim(tail.slice(0, width))}`;
    clearLine();
    io.stderr.write(line);
  };

  return {
    transition(event, state) {
      const finished = current ? readStageRecord(paths.stageStatus(current.iteration, current.stage)) : undefined;
      if (current && finished?.status === 'succeeded') {
        const metrics = Object.entries(finished.metrics)
          .slice(0, 4)
          .map(([k, v]) => `${current!.stage}.${k}=${formatMetric(v)}`)
          .join(' ');
        clearLine();
        io.error(
          `${prefix}${stamp(now() - started)} iteration ${current.iteration} · ${current.stage} done in ` +
            `${formatElapsed(finished.durationMs ?? 0)}${metrics ? `  ${metrics}` : ''}`,
        );
      }
      current = undefined;
      if (state.status === 'running' && state.stage && event.to === state.stage) {
        current = { iteration: state.iteration, stage: state.stage, since: now() };
        if (live) {
          timer ??= setInterval(draw, 250);
          draw();
        } else {
          io.error(`${prefix}${stamp(now() - started)} iteration ${state.iteration} · ${state.stage} started`);
        }
      }
    },
    note(line) {
      clearLine();
      io.error(`${stamp(now() - started)} ${s.dim(line)}`);
      if (live) draw();
    },
    close() {
      if (timer) clearInterval(timer);
      clearLine();
    },
  };
}

function stamp(ms: number): string {
  return `[${formatElapsed(ms).padStart(6)}]`;
}
