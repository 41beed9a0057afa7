import { LoopError } from '../errors/loop-error.ts';

// Thrown by an executor that cannot learn what became of an attempt it started (a Ray dashboard silent for long): the
// attempt may still run, so it is neither failed nor retried, either of which could start a second job for it. The
// engine lets it through: the stage stays "running", the run stops saying why, and `loop resume` re-attaches to the
// attempt once the cluster answers (a job then confirmed missing is submitted again as a new attempt).
export class AttemptInDoubtError extends LoopError {
  constructor(message: string) {
    super('E_EXECUTOR_UNAVAILABLE', message);
    this.name = 'AttemptInDoubtError';
  }
}
