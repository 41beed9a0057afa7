import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { StageJob } from '../../../src/executors/executor.ts';
import type { ExecutorSpec } from '../../../src/recipe/types.ts';
import { createSlurmExecutor } from '../../../src/executors/slurm/run-slurm.ts';
import { batchScript } from '../../../src/executors/slurm/batch-script.ts';
import { describeWith } from '../../support/optional-dependency.ts';
import { slurmAvailable, slurmJobs } from '../../support/slurm.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-slurm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const executor = createSlurmExecutor({ firstPollMs: 100, maxPollMs: 1000 });
const SPEC: Extract<ExecutorSpec, { kind: 'slurm' }> = { kind: 'slurm', sbatchArgs: [], setup: [], sharedFilesystem: true };
let counter = 0;

// One attempt in its own folder, named uniquely for this test run.
function slurmJob(script: string, extra: Partial<StageJob> = {}): StageJob {
  const stageDir = path.join(dir, `stage-${++counter}`);
  return {
    argv: ['bash', '-c', script],
    cwd: dir,
    env: { LOOP_STAGE: 'test' },
    logFile: path.join(stageDir, 'log.txt'),
    controlPrefix: path.join(stageDir, 'attempt-1'),
    executor: SPEC,
    resources: { gpus: 0, cpus: 1 },
    jobName: `loop-test-${path.basename(dir)}-${counter}`,
    ...extra,
  };
}

const jobsNamed = (name: string) => slurmJobs().filter((j) => j.name === name);

// Until Slurm shows the job running and its stage has started (the wrapper wrote PREFIX.starts).
async function waitUntilRunning(job: StageJob): Promise<string> {
  const name = job.jobName!;
  for (let i = 0; i < 400; i++) {
    const running = jobsNamed(name).find((j) => j.state === 'RUNNING');
    if (running && existsSync(`${job.controlPrefix}.starts`)) return running.id;
    await sleep(100);
  }
  throw new Error(`job ${name} never ran: ${JSON.stringify(jobsNamed(name))}`);
}

describeWith('the Slurm executor against a real single-node Slurm', slurmAvailable(), () => {
  it('runs a failing stage as one job: its exit code, its log (appended), its batch script kept', { timeout: 60_000 }, async () => {
    const job = slurmJob('echo "args: $LOOP_STAGE"; echo oops >&2; exit 3');
    const result = await executor.run(job);
    expect(result).toMatchObject({ ok: false, exitCode: 3, signal: null, timedOut: false, canceled: false });
    const log = readFileSync(job.logFile, 'utf8');
    expect(log).toMatch(/=== slurm: job \d+ on \S+ · restart 0\n/);
    expect(log).toContain('args: test\noops\n');
    expect(readFileSync(`${job.controlPrefix}.sbatch`, 'utf8')).toContain(`#SBATCH --job-name=${job.jobName}`);
    expect(jobsNamed(job.jobName!).map((j) => j.state)).toEqual(['FAILED']);
  });

  it('stops a job that passes its time limit with scancel: timed out, and Slurm shows it cancelled', { timeout: 60_000 }, async () => {
    const job = slurmJob('sleep 120', { timeoutSeconds: 2 });
    const result = await executor.run(job);
    expect(result).toMatchObject({ ok: false, timedOut: true, canceled: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(2000);
    expect(result.durationMs).toBeLessThan(20_000);
    expect(readFileSync(`${job.controlPrefix}.sbatch`, 'utf8')).toContain('#SBATCH --time=1\n');
    expect(jobsNamed(job.jobName!).map((j) => j.state)).toEqual(['CANCELLED']);
  });

  it('cancels the job when the stage is cancelled (loop pause --now, loop stop)', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const job = slurmJob('sleep 120', { signal: controller.signal });
    const running = executor.run(job);
    await waitUntilRunning(job);
    controller.abort();
    expect(await running).toMatchObject({ ok: false, canceled: true, timedOut: false });
    expect(jobsNamed(job.jobName!).map((j) => j.state)).toEqual(['CANCELLED']);
  });

  it('follows a requeued job to its end instead of submitting another', { timeout: 90_000 }, async () => {
    const job = slurmJob('if [ "${SLURM_RESTART_COUNT:-0}" = 0 ]; then sleep 120; fi; echo "second run"');
    const running = executor.run(job);
    const id = await waitUntilRunning(job);
    expect(spawnSync('scontrol', ['requeue', id]).status).toBe(0);
    // Without a new start time a requeued job waits ~2 minutes (platform notes); the update holds once it is pending.
    // A few seconds, not `now`: slurmd refuses a relaunch of the same job right after its requeue ("credential revoked").
    for (let i = 0; i < 100 && jobsNamed(job.jobName!)[0]?.state !== 'PENDING'; i++) await sleep(100);
    expect(spawnSync('scontrol', ['update', `JobId=${id}`, 'StartTime=now+5']).status).toBe(0);
    const result = await running;
    const log = readFileSync(job.logFile, 'utf8');
    expect(result, `${JSON.stringify(result)}\n${log}`).toMatchObject({ ok: true, exitCode: 0 });
    expect(log).toContain(`=== loop: Slurm requeued job ${id} (restart 1); following it`);
    expect(log).toContain('restart 1\nsecond run\n');
    expect(readFileSync(`${job.controlPrefix}.starts`, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(jobsNamed(job.jobName!).map((j) => j.id)).toEqual([id]);
  });

  it('after a controller crash between sbatch and recording the job id, finds the job by name and follows it', {
    timeout: 60_000,
  }, async () => {
    const job = slurmJob('sleep 2; echo done');
    mkdirSync(path.dirname(job.logFile), { recursive: true });
    // What the dead controller did: the batch script submitted, no attempt-1.jobid written.
    const script = batchScript(job, SPEC, job.jobName!, job.controlPrefix!);
    const submitted = spawnSync('sbatch', ['--parsable'], { input: script, encoding: 'utf8' });
    expect(submitted.status, submitted.stderr).toBe(0);
    expect(existsSync(`${job.controlPrefix}.jobid`)).toBe(false);
    const result = await executor.reattach!(job, new Date().toISOString());
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(`${job.controlPrefix}.jobid`, 'utf8')).toBe(`${submitted.stdout.trim()}\n`);
    expect(jobsNamed(job.jobName!)).toHaveLength(1);
  });

  it('after a crash before sbatch answered, an earlier job of the same attempt (cancelled by pause --now) is not mistaken for it', {
    timeout: 60_000,
  }, async () => {
    const job = slurmJob('exit 3');
    expect(await executor.run(job)).toMatchObject({ exitCode: 3 });
    // The resumed attempt's controller noted a submission under way, then died before sbatch answered.
    appendFileSync(`${job.controlPrefix}.jobid`, 'submitting\n');
    expect(await executor.reattach!(job, new Date().toISOString())).toBeUndefined();
    expect(jobsNamed(job.jobName!)).toHaveLength(1);
  });

  it("adopts a live job of the attempt's name instead of submitting it twice", { timeout: 60_000 }, async () => {
    const job = slurmJob('sleep 2; echo done');
    mkdirSync(path.dirname(job.logFile), { recursive: true });
    const submitted = spawnSync('sbatch', ['--parsable'], {
      input: batchScript(job, SPEC, job.jobName!, job.controlPrefix!),
      encoding: 'utf8',
    });
    expect(submitted.status, submitted.stderr).toBe(0);
    const result = await executor.run(job);
    expect(result).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(job.logFile, 'utf8')).toContain(
      `=== loop: found Slurm job ${submitted.stdout.trim()} (${job.jobName}) already submitted`,
    );
    expect(jobsNamed(job.jobName!)).toHaveLength(1);
  });

  // After MinJobAge (accounting off) Slurm forgets a finished job; a controller back from a long outage then finds
  // the recorded id unknown (scontrol: "Invalid job id specified"). Here the recorded id is one Slurm never issued.
  describe('a job Slurm has forgotten by the time the controller is back', () => {
    const FORGOTTEN = '999999999';
    const forget = (job: StageJob) => writeFileSync(`${job.controlPrefix}.jobid`, `${FORGOTTEN}\n`);

    it('keeps the exit status and end time its wrapper recorded: the finished stage is not run again', { timeout: 60_000 }, async () => {
      const job = slurmJob('exit 3');
      expect(await executor.run(job)).toMatchObject({ exitCode: 3 });
      forget(job);
      const ended = statSync(`${job.controlPrefix}.exit`).mtime.toISOString();
      const result = await executor.reattach!(job, new Date(Date.now() - 60_000).toISOString());
      expect(result).toMatchObject({ ok: false, exitCode: 3, signal: null, canceled: false, endedAt: ended });
      expect(result!.error).toBeUndefined();
      const ok = slurmJob('true');
      expect(await executor.run(ok)).toMatchObject({ ok: true });
      forget(ok);
      expect(await executor.reattach!(ok, new Date().toISOString())).toMatchObject({ ok: true, exitCode: 0 });
    });

    it('fails the attempt, saying so, when the wrapper left no exit status; is canceled when loop asked to cancel', {
      timeout: 60_000,
    }, async () => {
      const job = slurmJob('true');
      mkdirSync(path.dirname(job.logFile), { recursive: true });
      forget(job);
      const lost = await executor.reattach!(job, new Date().toISOString());
      expect(lost).toMatchObject({ ok: false, exitCode: null, canceled: false });
      expect(lost!.error).toBe(
        `Slurm no longer knows job ${FORGOTTEN} and it left no exit status in ${job.controlPrefix}.exit (killed before it ended?)`,
      );
      const aborted = new AbortController();
      aborted.abort();
      const canceled = await executor.reattach!({ ...job, signal: aborted.signal }, new Date().toISOString());
      expect(canceled).toMatchObject({ ok: false, exitCode: null, canceled: true });
      expect(canceled!.error).toBeUndefined();
    });
  });

  it('re-attaches to nothing when no job of the attempt was ever submitted', async () => {
    expect(await executor.reattach!(slurmJob('true'), new Date().toISOString())).toBeUndefined();
  });

  it("reports sbatch's refusal as data", { timeout: 30_000 }, async () => {
    const job = slurmJob('true', { executor: { ...SPEC, partition: 'no-such-partition' } });
    const result = await executor.run(job);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^sbatch refused the job: sbatch: error: .*(partition|Partition)/);
  });
});
