import path from 'node:path';
import type { ExecutorSpec } from '../../../recipe/types.ts';
import { loginTarget } from '../../common/login-target.ts';
import type { SshTarget } from '../../common/ssh-args.ts';

type RemoteSpec = Exclude<ExecutorSpec, { kind: 'local' }>;

// The host files are copied to, and its working directory: the SSH host itself, or a Slurm cluster's login node
// (whose filesystem the compute nodes share). Undefined with the reason when the recipe does not say enough.
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
  if (!spec.loginHost) {
    return { error: 'Slurm with shared_filesystem: false needs executor.login_host, the login node that files are copied to over ssh' };
  }
  return { target: loginTarget({ ...spec, loginHost: spec.loginHost }), workdir };
}
