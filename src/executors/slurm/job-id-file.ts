import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

// PREFIX.jobid: one line per submission of an attempt (a job, or a shard array's job array): "submitting" before
// sbatch is asked, then the id it answered. A controller that died between the two left the marker last.
const SUBMITTING = 'submitting';

export function noteSubmitting(prefix: string): void {
  appendFileSync(`${prefix}.jobid`, `${SUBMITTING}\n`);
}

export function recordJobId(prefix: string, id: string): void {
  appendFileSync(`${prefix}.jobid`, `${id}\n`);
}

// After a controller restart, the attempt's job: the id recorded last; or, when the controller died during a
// submission (the marker last, or no file), the newest job of the attempt's name not recorded before, that is the one
// it submitted, recorded now. Undefined when no job was submitted.
export async function recordedJob(prefix: string, jobsNamed: () => Promise<Array<{ id: string }>>): Promise<string | undefined> {
  const recorded = readJobIds(prefix);
  const last = recorded.at(-1);
  if (last !== undefined && last !== SUBMITTING) return last;
  const id = (await jobsNamed()).filter((found) => !recorded.includes(found.id)).at(-1)?.id;
  if (id !== undefined) {
    mkdirSync(dirname(prefix), { recursive: true });
    recordJobId(prefix, id);
  }
  return id;
}

// The lines of PREFIX.jobid, none when it is missing.
function readJobIds(prefix: string): string[] {
  try {
    return readFileSync(`${prefix}.jobid`, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}
