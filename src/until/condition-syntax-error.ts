import { LoopError } from '../errors/loop-error.ts';

// Thrown for a malformed `until.metric` condition: says what was expected at `offset` (0-based column; callers add the file location).
export class ConditionSyntaxError extends LoopError {
  readonly offset: number;

  constructor(message: string, offset: number) {
    super('E_RECIPE', message);
    this.name = 'ConditionSyntaxError';
    this.offset = offset;
  }
}
