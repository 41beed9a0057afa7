import { LoopError } from '../../errors/loop-error.ts';

// A data file that cannot be read as the format a command expects: names the file and the 1-based line, and the fix.
export class DataError extends LoopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_DATA', message, options);
    this.name = 'DataError';
  }
}
