// The controller that holds a run's lock, as written in `RUN/lock`.
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** The loop command that took the lock: `run`, `resume`, … */
  command: string;
}

// What a lock file on disk turned out to be.
export type LockState =
  | { kind: 'gone' }
  | { kind: 'live'; holder: LockHolder }
  | { kind: 'stale'; holder: LockHolder | undefined }
  | { kind: 'writing' };
