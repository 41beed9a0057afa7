import { describe, expect, it } from 'vitest';
import { rayJobOutcome } from '../../../src/executors/ray/job-outcome.ts';
import { isActiveRayState } from '../../../src/executors/ray/ray-states.ts';
import type { RayJobInfo } from '../../../src/executors/ray/ray-client.ts';

const job = (status: string, more: Partial<RayJobInfo> = {}): RayJobInfo => ({
  submissionId: 'loop-r-i0-eval-a1-0abc',
  status,
  message: '',
  errorType: null,
  driverExitCode: null,
  startTime: 1,
  endTime: 2,
  metadata: {},
  entrypoint: 'sh x',
  ...more,
});
const ctx = {
  wrapperStatus: undefined,
  requested: null,
  startedAt: '2026-12-04T00:00:00.000Z',
  endedAt: new Date('2026-12-04T00:00:05.000Z'),
} as const;

describe('rayJobOutcome', () => {
  it('follows PENDING and RUNNING on', () => {
    expect(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'].map(isActiveRayState)).toEqual([true, true, false, false, false]);
  });

  it('SUCCEEDED: success with the exit code the wrapper recorded, and the time it took', () => {
    expect(rayJobOutcome(job('SUCCEEDED', { driverExitCode: 0 }), { ...ctx, wrapperStatus: 0 })).toMatchObject({
      ok: true,
      exitCode: 0,
      durationMs: 5000,
    });
  });

  it("FAILED: the stage's exit code or signal from the wrapper, else Ray's exit code and message", () => {
    const failed = rayJobOutcome(job('FAILED', { driverExitCode: 3 }), { ...ctx, wrapperStatus: 3 });
    expect(failed).toMatchObject({ ok: false, exitCode: 3, signal: null });
    expect(failed.error).toBeUndefined();
    expect(rayJobOutcome(job('FAILED'), { ...ctx, wrapperStatus: 128 + 9 })).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    const setup = rayJobOutcome(
      job('FAILED', {
        errorType: 'RUNTIME_ENV_SETUP_FAILED',
        message: 'runtime_env setup failed: No module named foo\nTraceback …',
      }),
      ctx,
    );
    expect(setup).toMatchObject({
      ok: false,
      exitCode: null,
      error: 'Ray job loop-r-i0-eval-a1-0abc failed (RUNTIME_ENV_SETUP_FAILED): runtime_env setup failed: No module named foo',
    });
    expect(
      rayJobOutcome(
        job('FAILED', {
          driverExitCode: 2,
          message: 'Job entrypoint command failed with exit code 2, last available logs (truncated to 20,000 chars):\nboom',
        }),
        ctx,
      ),
    ).toMatchObject({ exitCode: 2, error: 'Ray job loop-r-i0-eval-a1-0abc failed: Job entrypoint command failed with exit code 2' });
  });

  it('STOPPED: cancelled or timed out when loop asked, else a failure that says who could have', () => {
    expect(rayJobOutcome(job('STOPPED'), { ...ctx, requested: 'cancel' })).toMatchObject({ ok: false, canceled: true, timedOut: false });
    expect(rayJobOutcome(job('STOPPED'), { ...ctx, requested: 'timeout' })).toMatchObject({ ok: false, canceled: false, timedOut: true });
    expect(rayJobOutcome(job('STOPPED', { message: 'Job was intentionally stopped.' }), ctx).error).toBe(
      'Ray job loop-r-i0-eval-a1-0abc was stopped outside loop (ray job stop, the dashboard, or a cluster shutdown): ' +
        'Job was intentionally stopped.; resume the run to try again',
    );
  });

  it('a job that ended well after loop asked it to stop is not a success', () => {
    expect(rayJobOutcome(job('SUCCEEDED'), { ...ctx, wrapperStatus: 0, requested: 'cancel' }).ok).toBe(false);
  });
});
