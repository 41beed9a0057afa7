import type { Backend } from '../backend.ts';
import { resolveRayAddress } from './ray-address.ts';
import { createRayExecutor } from './run-ray.ts';

// Stages as Ray jobs, submitted through the dashboard's Jobs REST API; needs no program here, only an address that
// is a dashboard's. Not `remote`: the cluster must see the run folder (shared_filesystem: true), so no transfer layer.
export const rayBackend: Backend = {
  kind: 'ray',
  remote: false,
  create: () => createRayExecutor(),
  whyUnavailable(spec, _pathVariable, env) {
    if (spec.kind !== 'ray') return undefined;
    const address = resolveRayAddress(spec, env);
    return 'error' in address ? address.error : undefined;
  },
};
