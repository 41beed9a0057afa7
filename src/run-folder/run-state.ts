import { readFileSync } from 'node:fs';
import { LoopError } from '../errors/loop-error.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { RunError } from '../engine/machine/evolve-types.ts';

/** Bumped whenever the snapshot's shape changes; a run written by another version is refused, not guessed at. */
export const STATE_VERSION = 1;

export type RunStatus = 'running' | 'paused' | 'succeeded' | 'failed' | 'stopped';

// state.json: the machine snapshot with its format version and what `loop status` needs without replaying anything.
export interface RunState {
  version: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  iteration: number;
  stage: string | null;
  stopReason: string | null;
  error: RunError | null;
  controller: { pid: number; host: string; startedAt: string } | null;
  snapshot: unknown;
}

// Always atomic (write, rename); `durable: false` skips the fsyncs, for a state that the stage records can rebuild.
export function writeRunState(file: string, state: RunState, options: { durable?: boolean } = {}): void {
  writeFileAtomic(file, JSON.stringify(state), options);
}

// A state.json that cannot be used: `corrupt` when unreadable (rebuildable), else of another format version.
export class SnapshotError extends LoopError {
  readonly corrupt: boolean;

  constructor(message: string, corrupt: boolean, cause?: unknown) {
    super('E_SNAPSHOT', message, { cause });
    this.name = 'SnapshotError';
    this.corrupt = corrupt;
  }
}

// Reads state.json, refusing a format this version does not know.
export function readRunState(file: string): RunState {
  let state: RunState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as RunState;
  } catch (error) {
    throw new SnapshotError(
      `the run state ${file} is unreadable (${(error as Error).message}); \`loop resume\` rebuilds it from the stage records`,
      true,
      error,
    );
  }
  if (typeof state !== 'object' || state === null || typeof state.snapshot !== 'object' || state.snapshot === null) {
    throw new SnapshotError(`the run state ${file} holds no snapshot; \`loop resume\` rebuilds it from the stage records`, true);
  }
  if (state.version !== STATE_VERSION) {
    throw new SnapshotError(
      `${file} has state format ${String(state.version)}, this loop reads format ${STATE_VERSION}; use the loop version that created ` +
        `the run`,
      false,
    );
  }
  return state;
}
