// What a remote backend (Slurm, Ray) knows besides the scheduler's own record when it turns a finished job into a
// stage outcome.
export interface OutcomeContext {
  /** The stage's exit status as the wrapper recorded it in PREFIX.exit, when it did. */
  wrapperStatus: number | undefined;
  /** Why loop itself stopped or cancelled the job, if it did. */
  requested: 'cancel' | 'timeout' | null;
  startedAt: string;
  endedAt: Date;
}
