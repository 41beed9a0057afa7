import type { ExecutorSpec } from '../../recipe/types.ts';
import { DEFAULT_RAY_ADDRESS } from '../../recipe/default-ray-address.ts';
import { redactAddress } from '../../recipe/redact-address.ts';

type RaySpec = Extract<ExecutorSpec, { kind: 'ray' }>;

// Ray's own default for job submission (the dashboard of a cluster on this machine) is DEFAULT_RAY_ADDRESS.
export { DEFAULT_RAY_ADDRESS };

// The dashboard URL the Jobs API is reached at, as Ray's `ray job` CLI finds it: the recipe's executor.address (like
// `--address`), else RAY_ADDRESS, else 127.0.0.1:8265. Only an http(s) dashboard URL will do: a GCS address
// (host:6379) or a ray:// client address is refused with the fix, since the Jobs API is served by the dashboard.
export function resolveRayAddress(spec: RaySpec, env: NodeJS.ProcessEnv = process.env): { url: string } | { error: string } {
  const from = spec.address !== undefined ? 'executor.address' : env.RAY_ADDRESS ? 'RAY_ADDRESS' : undefined;
  const given = spec.address ?? (env.RAY_ADDRESS || DEFAULT_RAY_ADDRESS);
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      error:
        `${from ?? 'the Ray address'} is "${redactAddress(given)}", not the dashboard's http(s) URL; the Jobs API is on ` +
        'the dashboard port, e.g. executor.address: http://HEAD:8265 (or RAY_ADDRESS=http://HEAD:8265)',
    };
  }
  return { url: given.replace(/\/+$/, '') };
}
