import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { RayJobsClient } from './ray-client.ts';

// Copies what a Ray job has logged since the last call into the stage's log file, so `tail -f log.txt` follows a Ray
// stage as it follows a local one. PREFIX.ray-log-offset holds the job's id and the bytes taken, so a restarted
// controller appends only what it had not copied yet. A log that cannot be read now is tried again next time.
export async function streamLogs(client: RayJobsClient, id: string, prefix: string, logFile: string): Promise<void> {
  const logs = await client.logs(id);
  if (logs === undefined) return;
  const bytes = Buffer.from(logs, 'utf8');
  const taken = takenBytes(prefix, id);
  if (bytes.length <= taken) return;
  appendFileSync(logFile, bytes.subarray(taken));
  writeFileSync(`${prefix}.ray-log-offset`, `${id} ${bytes.length}\n`);
}

// Bytes of this job's log already in the stage log (0 for a job not seen before).
function takenBytes(prefix: string, id: string): number {
  try {
    const [recordedId, offset] = readFileSync(`${prefix}.ray-log-offset`, 'utf8').trim().split(' ');
    return recordedId === id ? Number(offset) || 0 : 0;
  } catch {
    return 0;
  }
}
