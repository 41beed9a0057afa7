import { AttemptInDoubtError } from '../attempt-in-doubt-error.ts';

// A Ray job of the attempt that may run, while the dashboard does not answer: the run stops, neither failing the
// attempt nor submitting another job for it, and `loop resume` re-attaches once the dashboard answers.
export function inDoubt(why: string, id: string): AttemptInDoubtError {
  return new AttemptInDoubtError(
    `${why}; Ray job ${id} may still run, so loop neither fails the attempt nor submits it again: ` +
      '`loop resume` re-attaches to it once the dashboard answers (a job the cluster then does not know is submitted again)',
  );
}
