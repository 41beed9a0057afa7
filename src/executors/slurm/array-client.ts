import type { CommandRunner } from '../common/command-runner.ts';
import { createSlurmClient } from './slurm-client.ts';
import { parseSacctArray, parseScontrolArray, type ArrayTasks } from './parse-array-tasks.ts';
import { isActiveState } from './slurm-states.ts';

// The Slurm commands a job array needs: submit and cancel as for one job; each task's state; arrays found by name.
export interface SlurmArrayClient {
  submit(script: string): Promise<{ id: string } | { error: string }>;
  /** Each task's state by index; empty when Slurm no longer knows the array (purged, accounting off). */
  queryTasks(id: string): Promise<ArrayTasks>;
  /** Arrays of this name still known to Slurm, oldest first; active while any of their tasks may still run. */
  findByName(name: string): Promise<Array<{ id: string; active: boolean }>>;
  /** Cancels every task of the array. */
  cancel(id: string): Promise<void>;
}

// Talks to Slurm as createSlurmClient does, reading array tasks from `scontrol show job` (then sacct where
// accounting is on) and finding arrays by name with squeue's %F (the array's id, whichever task a line shows).
export function createSlurmArrayClient(run: CommandRunner): SlurmArrayClient {
  const single = createSlurmClient(run);
  return {
    submit: (script) => single.submit(script),
    cancel: (id) => single.cancel(id),
    async queryTasks(id) {
      const shown = await run(['scontrol', 'show', 'job', '-o', id]);
      const tasks = shown.exitCode === 0 ? parseScontrolArray(shown.stdout, id) : new Map();
      if (tasks.size > 0) return tasks;
      const accounted = await run(['sacct', '-j', id, '-X', '-n', '-P', '-o', 'JobID,JobName,State,ExitCode']);
      return accounted.exitCode === 0 ? parseSacctArray(accounted.stdout, id) : new Map();
    },
    async findByName(name) {
      const listed = await run(['squeue', '-h', '--states=all', `--name=${name}`, '-o', '%F %T']);
      if (listed.exitCode !== 0) throw new Error(`squeue failed: ${listed.stderr.trim()}`);
      const arrays = new Map<string, boolean>();
      for (const line of listed.stdout.split('\n')) {
        const [id, state] = line.trim().split(/\s+/);
        if (!id || !/^\d+$/.test(id) || state === undefined) continue;
        arrays.set(id, (arrays.get(id) ?? false) || isActiveState(state));
      }
      return [...arrays].map(([id, active]) => ({ id, active })).sort((a, b) => Number(a.id) - Number(b.id));
    },
  };
}
