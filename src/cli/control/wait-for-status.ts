import { sleep } from '../../time/sleep.ts';
import { readRunState, type RunStatus } from '../../run-folder/run-state.ts';
import { readRunLock } from '../../lock/run-lock.ts';
import { isPidAlive } from '../../process/is-pid-alive.ts';
import { hostname } from 'node:os';

// Polls a run's state until its status is one of `wanted` or the time is up; returns the last status seen. Once the
// status is reached it also waits (within the same time) for the controller to let go of the run: after recording
// "paused" it may still finish an upload to the store, and a `loop resume` typed right after `loop pause --now`
// returned must not find the run still held.
export async function waitForStatus(stateFile: string, wanted: RunStatus[], timeoutMs: number, runDir?: string): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  let status = readRunState(stateFile).status;
  while (!wanted.includes(status) && Date.now() < deadline) {
    await sleep(100);
    status = readRunState(stateFile).status;
  }
  if (runDir !== undefined && wanted.includes(status)) {
    const held = () => {
      const holder = readRunLock(runDir);
      return holder !== undefined && holder.host === hostname() && isPidAlive(holder.pid);
    };
    while (held() && Date.now() < deadline) await sleep(50);
  }
  return status;
}
