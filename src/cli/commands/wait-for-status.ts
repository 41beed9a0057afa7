import { setTimeout as sleep } from 'node:timers/promises';
import { readRunState, type RunStatus } from '../../run/run-state.ts';

// Polls a run's state until its status is one of `wanted` or the time is up; returns the last status seen.
export async function waitForStatus(stateFile: string, wanted: RunStatus[], timeoutMs: number): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  let status = readRunState(stateFile).status;
  while (!wanted.includes(status) && Date.now() < deadline) {
    await sleep(100);
    status = readRunState(stateFile).status;
  }
  return status;
}
