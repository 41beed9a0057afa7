import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { createLocalExecutor } from '../../../src/executors/local/run-local.ts';
import { createRayExecutor } from '../../../src/executors/ray/run-ray.ts';
import { httpRequest } from '../../../src/executors/ray/http-request.ts';
import { withTransfer } from '../../../src/executors/wrappers/transfer/with-transfer.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { holdRayCluster, RAY_ADDRESS, rayAvailable, rayJobs } from '../../support/ray.ts';
import { sshdAvailable, sshTarget } from '../../support/sshd.ts';

// A Ray cluster that does not see the controller's files (shared_filesystem: false): the transfer layer of SSH hosts
// copies the attempt's inputs to workdir through head_host (here the test sshd on this machine) and its outputs back.
// workdir is a folder of its own, so what the job read and wrote there can only have got there by the copies.
const root = mkdtempSync(path.join(tmpdir(), 'loop-ray-copies-'));
const workdir = mkdtempSync(path.join(tmpdir(), 'loop-ray-head-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(workdir, { recursive: true, force: true });
});
const run = `c${Date.now().toString(36)}`;
const both = rayAvailable() === true ? sshdAvailable() : rayAvailable();

describeWith('the Ray executor on a cluster without a shared filesystem', both, () => {
  holdRayCluster();

  it("runs the stage on copies under workdir, brings its outputs back, and hands it HF_TOKEN outside Ray's record", {
    timeout: 90_000,
  }, async () => {
    const recipeDir = path.join(root, 'recipe');
    const runDir = path.join(root, 'home/runs/r');
    const stageDir = path.join(runDir, 'iterations/0/s');
    const out = path.join(stageDir, 'out');
    mkdirSync(out, { recursive: true });
    mkdirSync(recipeDir, { recursive: true });
    writeFileSync(path.join(recipeDir, 'data.txt'), 'from the controller');
    writeFileSync(
      path.join(recipeDir, 'stage.sh'),
      'cat "$1" > "$LOOP_OUT/a.txt"; printf %s "$HF_TOKEN" > "$LOOP_OUT/token"; echo \'{"n": 1}\' > "$LOOP_OUT/metrics.json"\n' +
        'echo "stage ran in $PWD reading $1"\n',
    );
    const secret = `hf_${run}_s3cret`;
    const t = sshTarget();
    const id = `loop-${run}-i0-s-a1-00000000`;
    const job: StageJob = {
      argv: ['sh', path.join(recipeDir, 'stage.sh'), path.join(recipeDir, 'data.txt')],
      cwd: recipeDir,
      env: {
        LOOP_RUN: run,
        LOOP_ITERATION: '0',
        LOOP_STAGE: 's',
        LOOP_ATTEMPT: '1',
        LOOP_RUN_DIR: runDir,
        LOOP_RECIPE_DIR: recipeDir,
        LOOP_OUT: out,
      },
      logFile: path.join(stageDir, 'log.txt'),
      controlPrefix: path.join(stageDir, 'attempt-1'),
      jobName: id,
      inputs: {},
      resources: { cpus: 1, gpus: 0 },
      executor: {
        kind: 'ray',
        address: RAY_ADDRESS,
        metadata: {},
        sharedFilesystem: false,
        headHost: `${t.host}:${t.port}`,
        headOptions: [...t.options, `IdentityFile=${t.identityFile}`],
        workdir,
      },
    };
    const ray = createRayExecutor({ firstPollMs: 100, maxPollMs: 500, env: { ...process.env, HF_TOKEN: secret } });
    const executor = withTransfer(ray, { local: createLocalExecutor(), logPollMs: 200 });

    const done = await executor.run(job);
    expect(done, done.error).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('from the controller');
    expect(readFileSync(path.join(out, 'token'), 'utf8')).toBe(secret);
    // The job ran in the copy: its working directory, its argument and its outputs were under workdir.
    const log = readFileSync(job.logFile, 'utf8');
    expect(log).toContain(`stage ran in ${workdir}${recipeDir} reading ${workdir}${recipeDir}/data.txt\n`);
    expect(log).toContain('=== loop: outputs copied back and checked');
    expect(log.match(/stage ran in/g), "the job's log copied once").toHaveLength(1);
    expect(readFileSync(`${workdir}${out}/a.txt`, 'utf8')).toBe('from the controller');
    expect(readFileSync(`${job.controlPrefix}.exit`, 'utf8').trim()).toBe('0');
    // One Ray job, started from the script's copy; the secrets file read and gone on both sides, in no record.
    const jobs = (await rayJobs()).filter((j) => j.submissionId.startsWith(`loop-${run}-`));
    expect(jobs.map((j) => [j.submissionId, j.status, j.entrypoint])).toEqual([
      [id, 'SUCCEEDED', `sh ${workdir}${job.controlPrefix}.ray.sh`],
    ]);
    expect(existsSync(`${workdir}${job.controlPrefix}.secrets`)).toBe(false);
    expect(readdirSync(stageDir).filter((f) => f.includes('secrets'))).toEqual([]);
    for (const file of readdirSync(stageDir).filter((f) => f !== 'out')) {
      expect(readFileSync(path.join(stageDir, file), 'utf8'), file).not.toContain(secret);
    }
    const record = await httpRequest(`${RAY_ADDRESS}/api/jobs/${id}`, { method: 'GET', headers: {}, timeoutMs: 10_000 });
    expect(record.text).toContain(id);
    expect(record.text).not.toContain(secret);
  });
});
