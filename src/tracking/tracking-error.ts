import { LoopError } from '../errors/loop-error.ts';

// A tracking or notification setting that cannot work (no MLflow server named, the webhook's variable unset),
// found when the run starts. A tracker that is down later is no error: its points wait in the outbox.
export class TrackingError extends LoopError {
  constructor(message: string) {
    super('E_TRACKING', message);
    this.name = 'TrackingError';
  }
}
