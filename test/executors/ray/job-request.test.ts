import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { jobRequest } from '../../../src/executors/ray/job-request.ts';
import { placeRayFiles } from '../../../src/executors/ray/secrets-file.ts';

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
  it("runs the script kept in the stage folder, reserves the stage's resources, and says which stage it is", async () => {
    const files = await placeRayFiles(job, prefix, 'loop-r-i3-eval-a2-0abc-s1', '');
    expect(files).toEqual({ script: `${prefix}.ray.sh` });
    const request = jobRequest(job, spec, `${prefix}.ray.sh`, 'loop-r-i3-eval-a2-0abc-s1');
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
    expect(script).not.toContain('secrets');
  });

  it('with secrets to forward, writes them to an owner-only file that the script reads and removes before the stage', async () => {
    const secrets = "export HF_TOKEN='hf_x'\n";
    const files = await placeRayFiles(job, prefix, 'id', secrets);
    expect(files).toEqual({ script: `${prefix}.ray.sh`, secrets: `${prefix}.secrets` });
    expect(readFileSync(`${prefix}.secrets`, 'utf8')).toBe(secrets);
    expect(statSync(`${prefix}.secrets`).mode & 0o777).toBe(0o600);
    const script = readFileSync(`${prefix}.ray.sh`, 'utf8');
    expect(script).not.toContain('hf_x');
    expect(script.indexOf(`. ${prefix}.secrets && rm -f ${prefix}.secrets || exit 1`)).toBeLessThan(script.indexOf('python eval.py'));
    expect(JSON.stringify(jobRequest(job, spec, `${prefix}.ray.sh`, 'id'))).not.toContain('hf_x');
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
      `${prefix}.ray.sh`,
      'id',
    );
    expect(request).toMatchObject({
      entrypoint_num_cpus: 0.5,
      entrypoint_num_gpus: 0.25,
      entrypoint_resources: { 'accelerator_type:H100': 1 },
      runtime_env: { pip: ['numpy'] },
    });
    expect(jobRequest({ ...job, resources: { cpus: 1, gpus: 2 } }, spec, `${prefix}.ray.sh`, 'id').entrypoint_num_gpus).toBe(2);
  });
});
