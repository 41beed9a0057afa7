import { spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import { createRayClient, type RayJobInfo } from '../../src/executors/ray/ray-client.ts';

// The dashboard .ci/setup/ray.sh starts (LOOP_CI_RAY_DASHBOARD_PORT, default 8265).
export const RAY_ADDRESS = `http://127.0.0.1:${process.env.LOOP_CI_RAY_DASHBOARD_PORT ?? '8265'}`;
// The `ray` command of .ci/setup/ray.sh's venv, for tests that restart the cluster.
export const RAY_BIN = path.join(process.env.LOOP_CI_RAY_VENV ?? '/opt/loop-ray', 'bin', 'ray');

// Whether a Ray cluster's Jobs API answers at RAY_ADDRESS, or why not (checked once, synchronously, for describeWith).
export function rayAvailable(): true | string {
  const url = JSON.stringify(`${RAY_ADDRESS}/api/version`);
  const probe = `fetch(${url}).then(r => r.json()).then(v => console.log(v.ray_version)).catch(() => process.exit(1))`;
  const result = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) return `no Ray dashboard answers at ${RAY_ADDRESS}; run .ci/setup/ray.sh start`;
  return true;
}

// Every job the cluster knows.
export async function rayJobs(): Promise<RayJobInfo[]> {
  const listed = await createRayClient({ address: RAY_ADDRESS }).list();
  if (!Array.isArray(listed)) throw new Error(`cannot list Ray jobs: ${JSON.stringify(listed)}`);
  return listed;
}

// Test files that use the cluster run one at a time (one of them restarts it): each holds this lock for its whole run.
export function holdRayCluster(): void {
  const lock = path.join(tmpdir(), 'loop-ray-tests.lock');
  let fd: number | undefined;
  beforeAll(async () => {
    for (;;) {
      try {
        fd = openSync(lock, 'wx');
        return;
      } catch {
        // A lock left by a test process that died is older than any file's run.
        if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 15 * 60_000) rmSync(lock, { force: true });
        await sleep(200);
      }
    }
  }, 15 * 60_000);
  afterAll(() => {
    if (fd !== undefined) closeSync(fd);
    rmSync(lock, { force: true });
  });
}
