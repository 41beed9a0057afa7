import type { ErrorCode } from './loop-error.ts';

// The process exit codes; docs/reference/exit-codes.md lists the same table.
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  recipe: 3,
  stageFailed: 4,
  notFound: 5,
  unavailable: 6,
  data: 7,
  store: 8,
  runWrite: 9,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// The only place where error codes become exit codes: a Record over the ErrorCode union, so adding a code without
// its exit code is a type error.
const BY_CODE: Record<ErrorCode, ExitCode> = {
  E_USAGE: EXIT.usage,
  E_RECIPE: EXIT.recipe,
  E_RECIPE_EDIT: EXIT.usage,
  E_STAGE_FAILED: EXIT.stageFailed,
  E_RUN_NOT_FOUND: EXIT.notFound,
  E_RUN_EXISTS: EXIT.usage,
  E_RUN_STATE: EXIT.usage,
  E_RUN_LOCKED: EXIT.usage,
  E_DETACH: EXIT.internal,
  E_EXECUTOR_UNAVAILABLE: EXIT.unavailable,
  E_SNAPSHOT: EXIT.internal,
  E_DATA: EXIT.data,
  E_SWEEP: EXIT.usage,
  E_STORE: EXIT.store,
  E_RUN_WRITE: EXIT.runWrite,
  E_TRACKING: EXIT.usage,
};

// Maps a LoopError code to the process exit code.
export function exitCodeFor(code: ErrorCode): ExitCode {
  return BY_CODE[code];
}
