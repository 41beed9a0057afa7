import path from 'node:path';
import type { ExecutorSpec } from '../../../recipe/types.ts';
import { loginTarget } from '../../common/login-target.ts';
import { parseLoginHost } from '../../common/over-ssh.ts';
import type { SshTarget } from '../../common/ssh-args.ts';

type RemoteSpec = Extract<ExecutorSpec, { kind: 'slurm' | 'ssh' | 'ray' }>;

// The host files are copied to, and its working directory: the SSH host itself, a Slurm cluster's login node
// (whose filesystem the compute nodes share), or a Ray cluster's head node (whose workdir the node running a job's
// entrypoint sees). Undefined with the reason when the recipe does not say enough.
export function hostTarget(spec: RemoteSpec): { target: SshTarget; workdir: string } | { error: string } {
  if (!spec.workdir || !path.posix.isAbsolute(spec.workdir) || path.posix.resolve(spec.workdir) === '/') {
    return {
      error:
        'shared_filesystem: false needs executor.workdir, an absolute folder on the host that receives the copies (e.g. ' +
        '/scratch/USER/loop)',
    };
  }
  const workdir = path.posix.resolve(spec.workdir);
  if (spec.kind === 'ssh') {
    return {
      target: { host: spec.host, user: spec.user, port: spec.port, identityFile: spec.identityFile, options: spec.options },
      workdir,
    };
  }
  if (spec.kind === 'ray') {
    if (!spec.headHost) {
      return { error: 'Ray with shared_filesystem: false needs executor.head_host, the head node that files are copied to over ssh' };
    }
    return { target: { ...parseLoginHost(spec.headHost), options: spec.headOptions ?? [] }, workdir };
  }
  if (!spec.loginHost) {
    return { error: 'Slurm with shared_filesystem: false needs executor.login_host, the login node that files are copied to over ssh' };
  }
  return { target: loginTarget({ ...spec, loginHost: spec.loginHost }), workdir };
}
