import { appendFileSync } from 'node:fs';

// One transition of a run, as appended to events.jsonl (the run's history; `loop log` reads it).
export interface RunEvent {
  at: string;
  from: string | null;
  to: string;
  iteration: number;
  stage: string | null;
  detail?: string;
  /** Who asked for this transition: `SIGINT`, `loop pause (pid 4242 on host)`, … */
  by?: string;
  /** Events that are not transitions: `recipe-edit`, `rebuilt`. */
  type?: string;
  [extra: string]: unknown;
}

// Appends one event line; the log is append-only, so a crash loses at most the line being written.
export function appendEvent(file: string, event: RunEvent): void {
  appendFileSync(file, `${JSON.stringify(event)}\n`);
}
