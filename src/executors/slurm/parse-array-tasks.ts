import { parseArrayIndices } from './array-indices.ts';
import { parseSacctJob, parseScontrolJob, type SlurmJobInfo } from './parse-scontrol.ts';

// The tasks of one job array by index, each with its own state. Tasks still pending together are printed as one
// line naming a range ("ArrayTaskId=4-7", "123_[4-7]"): each index of the range gets that line's state.
export type ArrayTasks = Map<number, SlurmJobInfo>;

// Parses `scontrol show job -o ARRAY_ID`: one line per task that has started (its own JobId, ArrayTaskId=K) and one
// line for the tasks still pending (ArrayTaskId=a range). Lines of other arrays are ignored.
export function parseScontrolArray(stdout: string, arrayId: string): ArrayTasks {
  const tasks: ArrayTasks = new Map();
  for (const line of stdout.split('\n')) {
    const info = parseScontrolJob(line);
    const owner = /(?:^|\s)ArrayJobId=(\d+)/.exec(line)?.[1];
    const range = /(?:^|\s)ArrayTaskId=(\S+)/.exec(line)?.[1];
    if (!info || owner !== arrayId || range === undefined) continue;
    for (const index of parseArrayIndices(range)) tasks.set(index, { ...info, id: `${arrayId}_${index}` });
  }
  return tasks;
}

// Parses `sacct -j ARRAY_ID -X -n -P -o JobID,JobName,State,ExitCode` (accounting on): "123_4|name|FAILED|3:0" per
// task, "123_[5-7]|name|PENDING|0:0" for tasks pending together.
export function parseSacctArray(stdout: string, arrayId: string): ArrayTasks {
  const tasks: ArrayTasks = new Map();
  for (const line of stdout.split('\n')) {
    const info = parseSacctJob(line);
    const match = /^(\d+)_(\S+)$/.exec(info?.id ?? '');
    if (!info || !match || match[1] !== arrayId) continue;
    for (const index of parseArrayIndices(match[2]!)) tasks.set(index, { ...info, id: `${arrayId}_${index}` });
  }
  return tasks;
}
