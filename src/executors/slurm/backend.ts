import type { Backend } from '../backend.ts';
import { findProgram } from '../common/find-program.ts';
import { createSlurmExecutor } from './run-slurm.ts';

// Stages as Slurm batch jobs (job arrays when sharded), submitted here or on a login node over ssh.
export const slurmBackend: Backend = {
  kind: 'slurm',
  remote: true,
  create: createSlurmExecutor,
  whyUnavailable(spec, pathVariable) {
    const loginHost = spec.kind === 'slurm' ? spec.loginHost : undefined;
    if (!loginHost && findProgram('sbatch', '/', pathVariable).error) {
      return "Slurm's sbatch is not on PATH here; install the Slurm client or set executor.login_host to a login node reached over ssh";
    }
    if (loginHost && findProgram('ssh', '/', pathVariable).error) {
      return "the ssh client is not on PATH; install OpenSSH's client (Debian: openssh-client)";
    }
    return undefined;
  },
};
