import { spawnSync } from 'node:child_process';

// Whether a Slurm cluster answers here (.ci/setup/slurm.sh starts a single-node one), or why not.
export function slurmAvailable(): true | string {
  const result = spawnSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8', timeout: 20_000 });
  if (result.error) return 'Slurm is not installed (sinfo not found); run .ci/setup/slurm.sh start';
  if (result.status !== 0) return `Slurm does not answer (sinfo: ${result.stderr.trim()}); run .ci/setup/slurm.sh start`;
  return /idle|mix|alloc/.test(result.stdout) ? true : `no Slurm node is up (sinfo: ${result.stdout.trim()})`;
}

// Every job Slurm still remembers (MinJobAge is an hour in .ci/setup/slurm.sh): id, name and state.
export function slurmJobs(): Array<{ id: string; name: string; state: string }> {
  const result = spawnSync('squeue', ['-h', '--states=all', '-o', '%i|%j|%T'], { encoding: 'utf8' });
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, name, state] = line.split('|');
      return { id: id!, name: name!, state: state! };
    });
}
