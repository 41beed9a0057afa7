// The one base error: a stable `code` (mapped to an exit code in exit-codes.ts) and a message that says what to do next.
export class LoopError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LoopError';
    this.code = code;
  }
}

// Thrown for a mistake in how a command was called (unknown flag, missing argument).
export class UsageError extends LoopError {
  constructor(message: string) {
    super('E_USAGE', message);
    this.name = 'UsageError';
  }
}

// Thrown when a run named on the command line does not exist.
export class RunNotFoundError extends LoopError {
  constructor(name: string, home: string) {
    super('E_RUN_NOT_FOUND', `no run named "${name}" under ${home}; \`loop ls\` lists the runs`);
    this.name = 'RunNotFoundError';
  }
}
