import type { Backend } from '../backend.ts';
import { findProgram } from '../common/find-program.ts';
import { resolveRayAddress } from './ray-address.ts';
import { createRayExecutor } from './run-ray.ts';

// Stages as Ray jobs, submitted through the dashboard's Jobs REST API; needs no program here, only an address that
// is a dashboard's. `remote`: with shared_filesystem: false the transfer layer copies inputs to workdir through
// head_host over ssh (and outputs back), as for an SSH host or a Slurm login node.
export const rayBackend: Backend = {
  kind: 'ray',
  remote: true,
  create: () => createRayExecutor(),
  whyUnavailable(spec, pathVariable, env) {
    if (spec.kind !== 'ray') return undefined;
    const address = resolveRayAddress(spec, env);
    if ('error' in address) return address.error;
    if (!spec.sharedFilesystem && findProgram('ssh', '/', pathVariable).error) {
      return (
        'Ray with shared_filesystem: false copies files through head_host over ssh, and ssh is not on PATH here; ' +
        "install OpenSSH's client (Debian: openssh-client)"
      );
    }
    return undefined;
  },
};
