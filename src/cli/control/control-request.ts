import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { hostname, userInfo } from 'node:os';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import { LoopError } from '../../errors/loop-error.ts';

export type ControlAction = 'pause' | 'pause-now' | 'stop';

// A request from `loop pause` / `loop stop` to the controller of a run: written as request.json in the run folder,
// then the controller is rung with SIGUSR1 and reads it.
export interface ControlRequest {
  action: ControlAction;
  /** Who asked, for the event log. */
  by: string;
  at: string;
}

export const CONTROL_SIGNAL = 'SIGUSR1';

function requestFile(runDir: string): string {
  return path.join(runDir, 'request.json');
}

// Leaves a request for the run's controller and rings it.
export function sendControlRequest(runDir: string, controllerPid: number, action: ControlAction, command: string): ControlRequest {
  const request: ControlRequest = { action, by: describeRequester(command), at: new Date().toISOString() };
  writeFileAtomic(requestFile(runDir), JSON.stringify(request));
  try {
    process.kill(controllerPid, CONTROL_SIGNAL);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LoopError(
      'E_RUN_STATE',
      code === 'EPERM'
        ? `the run's controller (pid ${controllerPid}) belongs to another user; ask them, or run this as that user`
        : `the run's controller (pid ${controllerPid}) has just exited; \`loop status\` shows where the run stands`,
    );
  }
  return request;
}

// Takes the pending request, if any (the controller calls this when rung).
export function takeControlRequest(runDir: string): ControlRequest | undefined {
  const file = requestFile(runDir);
  try {
    const request = JSON.parse(readFileSync(file, 'utf8')) as ControlRequest;
    rmSync(file, { force: true });
    return request;
  } catch {
    return undefined;
  }
}

// "loop pause by alice on gpu-login-1 (pid 4242)".
export function describeRequester(command: string): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${command} by ${user} on ${hostname()} (pid ${process.pid})`;
}
