import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StageJob } from '../executor.ts';
import { entrypointScript } from './job-request.ts';

// Where a Ray job of this attempt finds its files: PREFIX as the cluster sees it (the copy's, without a shared
// filesystem), the entrypoint script and, when the controller has secrets to forward, the one-shot secrets file.
export interface RayAttemptFiles {
  script: string;
  secrets?: string;
}

// Writes the attempt's entrypoint script and secrets file where the cluster reads them, before each submission.
// Secrets (HF_TOKEN, WANDB_API_KEY… from forwarded-secrets.ts) must not ride in the job's runtime_env env_vars or
// entrypoint, which Ray shows to anyone listing its jobs: they go into PREFIX.secrets, readable by its owner only,
// which the script sources and removes before the stage starts (so the stage inherits them, and no log, argument
// list or job record holds them). On a shared filesystem both files are written here; without one, over ssh
// (RemotePlacement.put, their text on standard input). The script is kept in the stage folder in both cases.
export async function placeRayFiles(
  job: StageJob,
  prefix: string,
  id: string,
  secrets: string,
): Promise<RayAttemptFiles | { error: string }> {
  const cluster = job.remote?.prefix ?? prefix;
  const files: RayAttemptFiles = { script: `${cluster}.ray.sh`, ...(secrets ? { secrets: `${cluster}.secrets` } : {}) };
  const script = entrypointScript(job, cluster, id, files.secrets);
  mkdirSync(dirname(prefix), { recursive: true });
  writeFileSync(`${prefix}.ray.sh`, script);
  if (job.remote) {
    const put = await job.remote.put([
      { path: files.script, text: script },
      ...(files.secrets ? [{ path: files.secrets, text: secrets }] : []),
    ]);
    return put.ok ? files : { error: `could not place the Ray job's files: ${put.error}` };
  }
  if (files.secrets) {
    rmSync(files.secrets, { force: true });
    writeFileSync(files.secrets, secrets, { mode: 0o600 });
  }
  return files;
}

// After the job ended: its secrets file removed, should the job never have started to remove it itself.
export async function dropRaySecrets(job: StageJob, prefix: string, secrets: string): Promise<void> {
  if (!secrets) return;
  if (job.remote) await job.remote.remove([`${job.remote.prefix}.secrets`]);
  else rmSync(`${prefix}.secrets`, { force: true });
}
