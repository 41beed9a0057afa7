// Every error code loop knows. A union, so a code nobody maps to an exit code (exit-codes.ts) does not compile.
export const ERROR_CODES = [
  'E_USAGE',
  'E_RECIPE',
  'E_RECIPE_EDIT',
  'E_STAGE_FAILED',
  'E_RUN_NOT_FOUND',
  'E_RUN_EXISTS',
  'E_RUN_STATE',
  'E_RUN_LOCKED',
  'E_DETACH',
  'E_EXECUTOR_UNAVAILABLE',
  'E_SNAPSHOT',
  'E_DATA',
  'E_SWEEP',
  'E_STORE',
  'E_RUN_WRITE',
  'E_TRACKING',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// Whether a value is one of loop's error codes (a code read back from a snapshot, or from an unknown error).
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

// The one base error: a stable `code` (mapped to an exit code in exit-codes.ts) and a message that says what to do next.
export class LoopError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
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
