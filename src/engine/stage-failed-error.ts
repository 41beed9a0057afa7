import { LoopError } from '../errors/loop-error.ts';

// A stage that ended without success after all its attempts; carries the log's last lines for the user.
export class StageFailedError extends LoopError {
  readonly stage: string;
  readonly iteration: number;
  readonly logFile: string;
  readonly logTail: string[];

  constructor(stage: string, iteration: number, reason: string, logFile: string, logTail: string[]) {
    super('E_STAGE_FAILED', `stage ${stage} of iteration ${iteration} failed: ${reason}`);
    this.name = 'StageFailedError';
    this.stage = stage;
    this.iteration = iteration;
    this.logFile = logFile;
    this.logTail = logTail;
  }
}
