import { LoopError } from '../errors/loop-error.ts';
import type { LockHolder } from './lock-state.ts';

export type { LockHolder } from './lock-state.ts';

// Thrown when another controller holds (or is just now taking over) a run's lock; `holder` is it when known.
export class RunLockedError extends LoopError {
  readonly holder: LockHolder | undefined;

  constructor(name: string, holder: LockHolder | undefined, message?: string) {
    super(
      'E_RUN_LOCKED',
      message ??
        (holder
          ? `run ${name} is held by process ${holder.pid} on ${holder.host} since ${holder.startedAt} (loop ${holder.command}); wait ` +
            `for it, or \`loop pause ${name}\` it`
          : `run ${name} is held by another loop controller; wait for it, or \`loop pause ${name}\` it`),
    );
    this.name = 'RunLockedError';
    this.holder = holder;
  }
}
