import { appendFileSync } from 'node:fs';

// One transition of a run, as appended to events.jsonl (the run's history; `loop log` reads it).
export interface RunEvent {
  at: string;
  from: string | null;
  to: string;
  iteration: number;
  stage: string | null;
  detail?: string;
}

// Appends one event line; the log is append-only, so a crash loses at most the line being written.
export function appendEvent(file: string, event: RunEvent): void {
  appendFileSync(file, `${JSON.stringify(event)}\n`);
}
