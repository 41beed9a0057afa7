import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { jobRequest } from '../../../src/executors/ray/job-request.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-ray-request-'));
const prefix = path.join(dir, 'eval', 'attempt-2');
const job: StageJob = {
  argv: ['python', 'eval.py', '--out', 'a b'],
  cwd: '/recipes/x',
  env: {
    LOOP_RUN: 'r',
    LOOP_ITERATION: '3',
    LOOP_STAGE: 'eval',
    LOOP_ATTEMPT: '2',
    LOOP_SHARD_INDEX: '1',
    TOKENIZERS_PARALLELISM: 'false',
  },
  logFile: path.join(dir, 'eval', 'log.txt'),
  resources: { cpus: 4, gpus: 0 },
};
const spec = { kind: 'ray' as const, metadata: { team: 'rl' }, sharedFilesystem: true as const };

describe('jobRequest', () => {
  it("runs the script kept in the stage folder, reserves the stage's resources, and says which stage it is", () => {
    const request = jobRequest(job, spec, prefix, 'loop-r-i3-eval-a2-0abc-s1');
    expect(request).toEqual({
      entrypoint: `sh ${prefix}.ray.sh`,
      submission_id: 'loop-r-i3-eval-a2-0abc-s1',
      metadata: { team: 'rl', loop_run: 'r', loop_iteration: '3', loop_stage: 'eval', loop_attempt: '2', loop_shard_index: '1' },
      entrypoint_num_cpus: 4,
    });
    const script = readFileSync(`${prefix}.ray.sh`, 'utf8');
    expect(script).toContain('=== ray: job loop-r-i3-eval-a2-0abc-s1 on $(hostname)');
    expect(script).toContain('cd /recipes/x || exit 1\n');
    expect(script).toContain('export TOKENIZERS_PARALLELISM=false\n');
    expect(script).toContain(`echo "$$" >> ${prefix}.starts`);
    expect(script).toContain("python eval.py --out 'a b'");
  });

  it("takes num_cpus, num_gpus, entrypoint_resources and runtime_env from the executor over the stage's resources", () => {
    const request = jobRequest(
      { ...job, resources: { cpus: 4, gpus: 2 } },
      {
        ...spec,
        numCpus: 0.5,
        numGpus: 0.25,
        entrypointResources: { 'accelerator_type:H100': 1 },
        runtimeEnv: { pip: ['numpy'] },
      },
      prefix,
      'id',
    );
    expect(request).toMatchObject({
      entrypoint_num_cpus: 0.5,
      entrypoint_num_gpus: 0.25,
      entrypoint_resources: { 'accelerator_type:H100': 1 },
      runtime_env: { pip: ['numpy'] },
    });
    expect(jobRequest({ ...job, resources: { cpus: 1, gpus: 2 } }, spec, prefix, 'id').entrypoint_num_gpus).toBe(2);
  });
});
