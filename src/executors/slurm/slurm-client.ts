import type { CommandRunner } from '../common/command-runner.ts';
import { parseSacctJob, parseScontrolJob, type SlurmJobInfo } from './parse-scontrol.ts';

// The four Slurm commands loop needs, over any runner (this machine, or a login node through ssh).
export interface SlurmClient {
  /** The job id, or the reason sbatch refused the script. */
  submit(script: string): Promise<{ id: string } | { error: string }>;
  /** The job's state; undefined when Slurm no longer knows it (purged after MinJobAge, accounting off). */
  query(id: string): Promise<SlurmJobInfo | undefined>;
  /** Jobs of this name still known to Slurm, newest last, with their states. */
  findByName(name: string): Promise<Array<{ id: string; state: string }>>;
  cancel(id: string): Promise<void>;
}

// Talks to Slurm through its command-line tools: sbatch reads the script on stdin (--parsable prints the id;
// never with -Q, which hides it); jobs are followed with `scontrol show job`, then sacct where accounting is on.
export function createSlurmClient(run: CommandRunner): SlurmClient {
  return {
    async submit(script) {
      const result = await run(['sbatch', '--parsable'], { input: script });
      const id = result.stdout.trim().split(';')[0] ?? '';
      if (result.exitCode !== 0 || !/^\d+$/.test(id)) {
        return { error: `sbatch refused the job: ${(result.stderr || result.stdout).trim() || `exit code ${result.exitCode}`}` };
      }
      return { id };
    },
    async query(id) {
      const shown = await run(['scontrol', 'show', 'job', '-o', id]);
      if (shown.exitCode === 0) {
        const info = parseScontrolJob(shown.stdout.split('\n')[0] ?? '');
        if (info) return info;
      }
      const accounted = await run(['sacct', '-j', id, '-X', '-n', '-P', '-o', 'JobID,JobName,State,ExitCode']);
      if (accounted.exitCode !== 0) return undefined;
      return accounted.stdout
        .split('\n')
        .map(parseSacctJob)
        .find((info) => info?.id === id);
    },
    async findByName(name) {
      const listed = await run(['squeue', '-h', '--states=all', `--name=${name}`, '-o', '%i %T']);
      if (listed.exitCode !== 0) throw new Error(`squeue failed: ${listed.stderr.trim()}`);
      return listed.stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((fields): fields is [string, string] => /^\d+$/.test(fields[0] ?? '') && fields[1] !== undefined)
        .map(([id, state]) => ({ id, state }))
        .sort((a, b) => Number(a.id) - Number(b.id));
    },
    async cancel(id) {
      await run(['scancel', id]);
    },
  };
}
