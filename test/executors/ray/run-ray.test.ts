import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import { createRayExecutor } from '../../../src/executors/ray/run-ray.ts';
import { createRayClient } from '../../../src/executors/ray/ray-client.ts';
import { jobRequest } from '../../../src/executors/ray/job-request.ts';
import { placeRayFiles } from '../../../src/executors/ray/secrets-file.ts';
import { httpRequest } from '../../../src/executors/ray/http-request.ts';
import { recordSubmission } from '../../../src/executors/ray/submission-record.ts';
import type { ExecutorSpec } from '../../../src/recipe/types.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { holdRayCluster, RAY_ADDRESS, rayAvailable, rayJobs } from '../../support/ray.ts';

const root = mkdtempSync(path.join(tmpdir(), 'loop-ray-exec-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
// Ray keeps every submission id for the cluster's life: each test run names its jobs afresh.
const run = `t${Date.now().toString(36)}`;
const spec = (more: Partial<Extract<ExecutorSpec, { kind: 'ray' }>> = {}): ExecutorSpec => ({
  kind: 'ray',
  address: RAY_ADDRESS,
  metadata: { team: 'loop-tests' },
  sharedFilesystem: true,
  ...more,
});

// One stage attempt in its own folder under root, named like run-stage names it.
function job(stage: string, script: string, more: Partial<StageJob> = {}): StageJob {
  const dir = path.join(root, stage);
  return {
    argv: ['sh', '-c', script],
    cwd: root,
    env: { LOOP_RUN: run, LOOP_ITERATION: '0', LOOP_STAGE: stage, LOOP_ATTEMPT: '1', MSG: `it's "$HOME" ; $(touch pwned)` },
    logFile: path.join(dir, 'log.txt'),
    controlPrefix: path.join(dir, 'attempt-1'),
    executor: spec(),
    resources: { cpus: 1, gpus: 0 },
    jobName: `loop-${run}-i0-${stage}-a1-00000000`,
    ...more,
  };
}
const executor = createRayExecutor({ firstPollMs: 100, maxPollMs: 500 });
const jobsOf = async (stage: string) => (await rayJobs()).filter((j) => j.submissionId.startsWith(`loop-${run}-i0-${stage}-`));
const log = (stage: string) => readFileSync(path.join(root, stage, 'log.txt'), 'utf8');
// The POST a controller makes for this job, made by the test (as if the controller died right after it).
const submitAsLoopWould = async (j: StageJob, id: string) => {
  const files = await placeRayFiles(j, j.controlPrefix!, id, '');
  if ('error' in files) throw new Error(files.error);
  return createRayClient({ address: RAY_ADDRESS }).submit(jobRequest(j, spec() as never, files.script, id));
};

describeWith('the Ray executor on a real cluster', rayAvailable(), () => {
  holdRayCluster();

  it("runs a stage as one Ray job: its output streamed into log.txt, its exit status, loop's metadata, its variables intact", async () => {
    const done = await executor.run(job('ok', 'echo "msg: $MSG"; echo "to stderr" >&2; sleep 1; echo later'));
    expect(done).toMatchObject({ ok: true, exitCode: 0, canceled: false, timedOut: false });
    const jobs = await jobsOf('ok');
    expect(jobs.map((j) => [j.submissionId, j.status])).toEqual([[`loop-${run}-i0-ok-a1-00000000`, 'SUCCEEDED']]);
    expect(jobs[0]!.metadata).toEqual({ team: 'loop-tests', loop_run: run, loop_iteration: '0', loop_stage: 'ok', loop_attempt: '1' });
    expect(log('ok')).toContain(`=== loop: submitted Ray job loop-${run}-i0-ok-a1-00000000 to ${RAY_ADDRESS}\n`);
    expect(log('ok')).toMatch(/msg: it's "\$HOME" ; \$\(touch pwned\)\n(.*\n)*to stderr\n(.*\n)*later\n/);
    expect(log('ok').match(/later/g)).toHaveLength(1);
    expect(existsSync(path.join(root, 'pwned'))).toBe(false);
    expect(readFileSync(path.join(root, 'ok', 'attempt-1.exit'), 'utf8').trim()).toBe('0');
    expect(readFileSync(path.join(root, 'ok', 'attempt-1.rayjob'), 'utf8')).toBe(
      `submitting loop-${run}-i0-ok-a1-00000000\nsubmitted loop-${run}-i0-ok-a1-00000000\n`,
    );
  });

  it("a failing stage fails with its exit code; a job Ray cannot start fails with Ray's message", async () => {
    const failed = await executor.run(job('fail', 'echo "it broke" >&2; exit 3'));
    expect(failed).toMatchObject({ ok: false, exitCode: 3, signal: null });
    expect(log('fail')).toContain('it broke');
    const unstartable = await executor.run(
      job('nodir', 'true', { executor: spec({ runtimeEnv: { working_dir: '/nonexistent-loop-dir' } }) }),
    );
    expect(unstartable).toMatchObject({ ok: false, exitCode: null });
    expect(unstartable.error).toMatch(
      new RegExp(
        `^Ray job loop-${run}-i0-nodir-a1-00000000 failed \\(JOB_SUPERVISOR_ACTOR_START_FAILURE\\): ` +
          '.*nonexistent-loop-dir is not a valid path',
      ),
    );
  });

  it('cancelling stops the Ray job (pause --now, stop); a stop from outside is a failure; a time limit stops it as timed out', async () => {
    const controller = new AbortController();
    const started = executor.run(job('cancel', 'echo started; sleep 120', { signal: controller.signal }));
    for (let i = 0; i < 600 && !existsSync(path.join(root, 'cancel', 'attempt-1.starts')); i++) await sleep(50);
    controller.abort();
    expect(await started).toMatchObject({ ok: false, canceled: true, timedOut: false });
    expect((await jobsOf('cancel')).map((j) => j.status)).toEqual(['STOPPED']);
    // Stopped by someone else (`ray job stop`, the dashboard): a failure that says so, not a cancellation.
    const outside = executor.run(job('outside', 'sleep 120'));
    for (let i = 0; i < 600 && !existsSync(path.join(root, 'outside', 'attempt-1.starts')); i++) await sleep(50);
    expect(await createRayClient({ address: RAY_ADDRESS }).stop(`loop-${run}-i0-outside-a1-00000000`)).toBe(true);
    const stopped = await outside;
    expect(stopped).toMatchObject({ ok: false, canceled: false, timedOut: false });
    expect(stopped.error).toMatch(/^Ray job loop-\S+-outside-a1-00000000 was stopped outside loop \(ray job stop, the dashboard/);
    const timed = await executor.run(job('limit', 'sleep 120', { timeoutSeconds: 3 }));
    expect(timed).toMatchObject({ ok: false, canceled: false, timedOut: true });
    expect(timed.durationMs).toBeLessThan(30_000);
    expect((await jobsOf('limit')).map((j) => j.status)).toEqual(['STOPPED']);
  });

  it('a controller killed after the POST re-attaches to the job; killed before it, submits it under the same id; never twice', async () => {
    // Killed after Ray took the job but before "submitted" was written: reattach follows that job.
    const after = job('after', 'sleep 1; echo done');
    const id = after.jobName!;
    const begun = new Date().toISOString();
    recordSubmission(after.controlPrefix!, 'submitting', id);
    expect(await submitAsLoopWould(after, id)).toBe('submitted');
    expect(await executor.reattach!(after, begun)).toMatchObject({ ok: true, exitCode: 0, startedAt: begun });
    expect((await jobsOf('after')).map((j) => j.submissionId)).toEqual([id]);
    expect(log('after')).toContain(`=== loop: following Ray job ${id} again`);
    // Killed between writing the id and the POST: nothing to re-attach to; the attempt is submitted under that id.
    const before = job('before', 'echo done');
    recordSubmission(before.controlPrefix!, 'submitting', before.jobName!);
    expect(await executor.reattach!(before, begun)).toBeUndefined();
    expect(await executor.run(before)).toMatchObject({ ok: true });
    expect((await jobsOf('before')).map((j) => j.submissionId)).toEqual([before.jobName]);
    // The record lost altogether while the job runs: Ray refuses the id as taken, and loop follows that job.
    const lost = job('lost', 'sleep 1; echo done');
    expect(await submitAsLoopWould(lost, lost.jobName!)).toBe('submitted');
    expect(await executor.run(lost)).toMatchObject({ ok: true });
    expect((await jobsOf('lost')).map((j) => j.submissionId)).toEqual([lost.jobName]);
    expect(log('lost')).toContain(`=== loop: found Ray job ${lost.jobName} already submitted; following it`);
  });

  it('a job the cluster no longer knows fails the attempt saying so; the attempt run again is a new job', async () => {
    const gone = job('gone', 'echo again');
    recordSubmission(gone.controlPrefix!, 'submitting', gone.jobName!);
    recordSubmission(gone.controlPrefix!, 'submitted', gone.jobName!);
    const lost = await executor.reattach!(gone, new Date().toISOString());
    expect(lost).toMatchObject({ ok: false, canceled: false });
    expect(lost!.error).toContain(`Ray job ${gone.jobName} vanished: the cluster no longer knows it`);
    expect(await executor.run(gone)).toMatchObject({ ok: true });
    expect((await jobsOf('gone')).map((j) => j.submissionId)).toEqual([`${gone.jobName}-r2`]);
    expect(log('gone')).toContain(
      `=== loop: Ray job ${gone.jobName} of this attempt is gone (the cluster restarted?); submitting the attempt as a new Ray job`,
    );
  });

  it("sends a token from the environment as a header, and writes it nowhere: not in the stage folder, not in Ray's job", async () => {
    const secret = `tok-${run}-s3cret`;
    const sent = new Set<string | undefined>();
    const withToken = createRayExecutor({
      firstPollMs: 100,
      maxPollMs: 500,
      env: { ...process.env, RAY_AUTH_TOKEN: secret },
      request: (url, init) => (sent.add(init.headers.Authorization), httpRequest(url, init)),
    });
    expect(await withToken.run(job('token', 'echo fine'))).toMatchObject({ ok: true });
    expect([...sent]).toEqual([`Bearer ${secret}`]);
    for (const file of readdirSync(path.join(root, 'token'))) {
      expect(readFileSync(path.join(root, 'token', file), 'utf8'), file).not.toContain(secret);
    }
    expect(JSON.stringify(await jobsOf('token'))).not.toContain(secret);
  });
  it("gives the stage HF_TOKEN through a one-shot owner-only file: not in Ray's job record, the log or the stage folder", async () => {
    const secret = `hf_${run}_s3cret '$(touch pwned)`;
    const withSecret = createRayExecutor({ firstPollMs: 100, maxPollMs: 500, env: { ...process.env, HF_TOKEN: secret } });
    const seen = path.join(root, 'seen-token');
    const done = await withSecret.run(job('secret', `printf %s "$HF_TOKEN" > ${seen}; echo ran`));
    expect(done).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(seen, 'utf8')).toBe(secret);
    expect(readdirSync(path.join(root, 'secret')).sort()).toEqual(
      ['attempt-1.exit', 'attempt-1.ray-log-offset', 'attempt-1.ray.sh', 'attempt-1.rayjob', 'attempt-1.starts', 'log.txt'].sort(),
    );
    for (const file of readdirSync(path.join(root, 'secret'))) {
      expect(readFileSync(path.join(root, 'secret', file), 'utf8'), file).not.toContain(secret);
    }
    // Ray's own record of the job, as its REST API gives it to anyone (entrypoint, runtime_env, metadata…).
    const id = `loop-${run}-i0-secret-a1-00000000`;
    for (const url of [`${RAY_ADDRESS}/api/jobs/${id}`, `${RAY_ADDRESS}/api/jobs/`]) {
      const answer = await httpRequest(url, { method: 'GET', headers: {}, timeoutMs: 10_000 });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain(id);
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toContain('s3cret');
    }
    expect(existsSync(path.join(root, 'pwned'))).toBe(false);
  });
});
