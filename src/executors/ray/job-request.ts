import type { StageJob } from '../executor.ts';
import type { ExecutorSpec } from '../../recipe/types.ts';
import { wrapperScript } from '../common/wrapper-script.ts';
import { shellQuote } from '../common/shell-quote.ts';
import type { RaySubmitRequest } from './ray-client.ts';

type RaySpec = Extract<ExecutorSpec, { kind: 'ray' }>;

// The stage's entrypoint script, PREFIX.ray.sh where the cluster sees the attempt's files (the stage folder on a
// shared filesystem, its copy under workdir without one): the job's header line, the stage's secrets read from their
// one-shot file and that file removed (secrets-file.ts), the stage's working directory, then the stage wrapper
// (PREFIX.starts, PREFIX.exit, the stage's LOOP_* and env variables, the command with each argument quoted), as on Slurm.
export function entrypointScript(job: StageJob, prefix: string, id: string, secretsFile?: string): string {
  return [
    '#!/bin/sh',
    `# Written by loop: Ray job ${id}. Its outcome is recorded in ${prefix}.exit.`,
    `echo "=== ray: job ${id} on $(hostname)" >&2`,
    ...(secretsFile ? [`. ${shellQuote(secretsFile)} && rm -f ${shellQuote(secretsFile)} || exit 1`] : []),
    `cd ${shellQuote(job.cwd)} || exit 1`,
    wrapperScript({ prefix, env: job.env, setup: [], argv: job.argv }),
    '',
  ].join('\n');
}

// The POST /api/jobs/ body of one attempt: the entrypoint runs the script above (`script`: its path on the cluster);
// resources reserved for the entrypoint from the executor (num_cpus, num_gpus, entrypoint_resources) or else the
// stage's resources; the recipe's runtime_env as is; metadata saying which run, iteration, stage and attempt the job is.
// Nothing secret: Ray shows all of it to anyone who lists its jobs.
export function jobRequest(job: StageJob, spec: RaySpec, script: string, id: string): RaySubmitRequest {
  const cpus = spec.numCpus ?? job.resources?.cpus;
  const gpus = spec.numGpus ?? job.resources?.gpus;
  const loop = Object.fromEntries(
    (['LOOP_RUN', 'LOOP_ITERATION', 'LOOP_STAGE', 'LOOP_ATTEMPT', 'LOOP_SHARD_INDEX'] as const)
      .filter((key) => job.env[key] !== undefined)
      .map((key) => [key.toLowerCase(), job.env[key]!]),
  );
  return {
    entrypoint: `sh ${shellQuote(script)}`,
    submission_id: id,
    ...(spec.runtimeEnv ? { runtime_env: spec.runtimeEnv } : {}),
    metadata: { ...spec.metadata, ...loop },
    ...(cpus !== undefined ? { entrypoint_num_cpus: cpus } : {}),
    ...(gpus ? { entrypoint_num_gpus: gpus } : {}),
    ...(spec.entrypointResources ? { entrypoint_resources: spec.entrypointResources } : {}),
  };
}
