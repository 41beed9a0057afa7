import { createHash } from 'node:crypto';

export interface AttemptIdentity {
  run: string;
  /** The run's folder: two homes may hold runs of the same name, and their jobs must not be mistaken for each other. */
  runRoot: string;
  iteration: number;
  stage: string;
  attempt: number;
}

// A deterministic name for one attempt (run, iteration, stage, attempt, and a short hash of the run's folder), so a
// restarted controller can find a job it submitted but never recorded, instead of submitting it twice.
export function attemptName(id: AttemptIdentity): string {
  const home = createHash('sha256').update(id.runRoot).digest('hex').slice(0, 8);
  return `loop-${id.run}-i${id.iteration}-${id.stage}-a${id.attempt}-${home}`;
}
