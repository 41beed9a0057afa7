import { describe, expect, it } from 'vitest';
import { jobOutcome } from '../../../src/executors/slurm/job-outcome.ts';
import { parseSacctJob, parseScontrolJob } from '../../../src/executors/slurm/parse-scontrol.ts';
import { isActiveState } from '../../../src/executors/slurm/slurm-states.ts';

// A line as `scontrol show job -o` prints it (trimmed to the fields that matter, same shape).
const line = (state: string, exit = '0:0', restarts = 0) =>
  `JobId=42 JobName=loop-r-i1-eval-a1-abcd1234 UserId=root(0) Priority=1 JobState=${state} Reason=None Dependency=(null) ` +
  `Requeue=1 Restarts=${restarts} BatchFlag=1 ExitCode=${exit} RunTime=00:00:03 Command=(null) WorkDir=/tmp/a b`;

const ctx = {
  wrapperStatus: undefined,
  requested: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: new Date('2026-01-01T00:00:05.000Z'),
} as const;

describe('parseScontrolJob', () => {
  it('reads id, name, state, exit code and signal, and restarts', () => {
    expect(parseScontrolJob(line('FAILED', '3:0', 2))).toEqual({
      id: '42',
      name: 'loop-r-i1-eval-a1-abcd1234',
      state: 'FAILED',
      exitCode: 3,
      signal: 0,
      restarts: 2,
      reason: 'None',
    });
  });

  it('rejects a line without a job', () => {
    expect(parseScontrolJob('slurm_load_jobs error: Invalid job id specified')).toBeUndefined();
  });

  it('reads sacct lines too, keeping the first word of "CANCELLED by 0"', () => {
    expect(parseSacctJob('42|loop-x|CANCELLED by 0|0:15')).toMatchObject({ id: '42', state: 'CANCELLED', signal: 15 });
  });
});

describe('jobOutcome: Slurm states onto stage outcomes', () => {
  const outcome = (state: string, exit = '0:0', extra: Partial<Parameters<typeof jobOutcome>[1]> = {}) =>
    jobOutcome(parseScontrolJob(line(state, exit))!, { ...ctx, ...extra });

  it('follows PENDING, RUNNING, COMPLETING, REQUEUED and SUSPENDED jobs; ends on the others', () => {
    for (const state of ['PENDING', 'RUNNING', 'COMPLETING', 'REQUEUED', 'REQUEUE_HOLD', 'SUSPENDED', 'CONFIGURING'])
      expect(isActiveState(state), state).toBe(true);
    for (const state of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'PREEMPTED', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE'])
      expect(isActiveState(state), state).toBe(false);
  });

  it("COMPLETED with the wrapper's exit 0 is a success, timed from the context", () => {
    expect(outcome('COMPLETED', '0:0', { wrapperStatus: 0 })).toMatchObject({ ok: true, exitCode: 0, signal: null, durationMs: 5000 });
  });

  it("FAILED carries the stage's own exit status (from the wrapper, else from ExitCode)", () => {
    expect(outcome('FAILED', '1:0', { wrapperStatus: 7 })).toMatchObject({ ok: false, exitCode: 7 });
    expect(outcome('FAILED', '3:0')).toMatchObject({ ok: false, exitCode: 3 });
    expect(outcome('FAILED', '0:9')).toMatchObject({ ok: false, exitCode: null, signal: 'SIGKILL' });
    expect(outcome('FAILED', '0:0', { wrapperStatus: 143 })).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
  });

  it('CANCELLED is a cancellation or a time-out when loop asked for it, else a failure that says who', () => {
    expect(outcome('CANCELLED', '0:15', { requested: 'cancel' })).toMatchObject({ ok: false, canceled: true, timedOut: false });
    expect(outcome('CANCELLED', '0:15', { requested: 'timeout' })).toMatchObject({ ok: false, canceled: false, timedOut: true });
    expect(outcome('CANCELLED', '0:15').error).toBe(
      'Slurm job 42 was cancelled outside loop (scancel or an administrator); resume the run to try again',
    );
  });

  it("TIMEOUT (Slurm's own limit) is a time-out", () => {
    expect(outcome('TIMEOUT', '0:15')).toMatchObject({ ok: false, timedOut: true, canceled: false });
  });

  it('OUT_OF_MEMORY says which setting to raise', () => {
    expect(outcome('OUT_OF_MEMORY', '0:125').error).toMatch(/ran out of memory \(OUT_OF_MEMORY\); raise the stage's resources.memory/);
  });

  it.each([
    ['NODE_FAIL', 'its node failed (NODE_FAIL)'],
    ['PREEMPTED', 'it was preempted by a higher-priority job (PREEMPTED)'],
    ['BOOT_FAIL', 'its node failed to boot (BOOT_FAIL)'],
    ['SPECIAL_EXIT', 'it ended in state SPECIAL_EXIT'],
  ])('%s is a failure left to the retry policy', (state, what) => {
    const result = outcome(state);
    expect(result.ok).toBe(false);
    expect(result.error).toBe(`Slurm job 42 did not finish: ${what}; the stage's retry policy (retry.attempts) decides on a new attempt`);
  });
});
