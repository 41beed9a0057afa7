import type { ExecutorSpec } from '../../recipe/types.ts';
import { parseLoginHost } from './over-ssh.ts';
import type { SshTarget } from './ssh-args.ts';

type SlurmSpec = Extract<ExecutorSpec, { kind: 'slurm' }>;

// The Slurm login node as ssh reaches it: `login_host` ("user@host:port") and its `login_options` (-o values,
// e.g. IdentityFile), so a recipe can name a key and known_hosts without touching ~/.ssh/config.
export function loginTarget(spec: SlurmSpec & { loginHost: string }): SshTarget {
  return { ...parseLoginHost(spec.loginHost), options: spec.loginOptions ?? [] };
}
