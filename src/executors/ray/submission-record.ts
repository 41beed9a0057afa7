import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

// PREFIX.rayjob: the attempt's Ray submissions, one line each before the POST ("submitting ID") and one after Ray
// accepted it ("submitted ID"). The id is chosen before the POST, so a controller that dies at any point finds the
// job again by that id; Ray refuses a reused submission id, so a repeated POST can never start a second job.
export interface Submission {
  id: string;
  /** Ray answered the POST (or the job was found under this id). */
  confirmed: boolean;
}

// The attempt's submissions in order, none when the file is missing.
export function readSubmissions(prefix: string): Submission[] {
  let text = '';
  try {
    text = readFileSync(`${prefix}.rayjob`, 'utf8');
  } catch {
    return [];
  }
  const found = new Map<string, Submission>();
  for (const line of text.split('\n')) {
    const match = /^(submitting|submitted) (\S+)$/.exec(line.trim());
    if (!match) continue;
    const id = match[2]!;
    const confirmed = match[1] === 'submitted' || (found.get(id)?.confirmed ?? false);
    found.delete(id);
    found.set(id, { id, confirmed });
  }
  return [...found.values()];
}

// Notes a submission about to be made (before the POST) or made.
export function recordSubmission(prefix: string, state: 'submitting' | 'submitted', id: string): void {
  mkdirSync(dirname(prefix), { recursive: true });
  appendFileSync(`${prefix}.rayjob`, `${state} ${id}\n`);
}

// The submission id of the attempt's next Ray job: the attempt's deterministic name (run, iteration, stage, attempt,
// hash of the run folder) the first time, then NAME-r2, NAME-r3… when an earlier job of the attempt is gone (the
// cluster restarted) or ended (the attempt runs again after `loop resume`).
export function nextSubmissionId(jobName: string, earlier: Submission[]): string {
  return earlier.length === 0 ? jobName : `${jobName}-r${earlier.length + 1}`;
}
