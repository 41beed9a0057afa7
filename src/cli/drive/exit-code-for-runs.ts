import { EXIT, exitCodeFor, type ExitCode } from '../../errors/exit-codes.ts';
import type { RunState } from '../../run-folder/run-state.ts';

// How a run driven by this process ended, as far as the exit code cares; undefined: it never started (Ctrl-C came
// before its turn).
export type RunOutcome = Pick<RunState, 'status' | 'error'> | undefined;

// The one decision of the exit code of `loop run`, `loop resume` and `loop sweep`, for one run or many: the first
// failed run's error code decides (a store failure 8, a stage failure 4), else a paused or unstarted run gives 130,
// else 0 (succeeded, or stopped for good).
export function exitCodeForRuns(outcomes: readonly RunOutcome[]): ExitCode {
  const failed = outcomes.find((outcome) => outcome?.status === 'failed');
  if (failed) return exitCodeFor(failed.error?.code ?? 'E_STAGE_FAILED');
  let code: ExitCode = EXIT.ok;
  for (const outcome of outcomes) {
    const each = exitCodeForRun(outcome);
    if (each !== EXIT.ok) code = each;
  }
  return code;
}

// One run that did not fail: every status is named, so a new status is a type error here until it has its code.
function exitCodeForRun(outcome: RunOutcome): ExitCode {
  if (outcome === undefined) return EXIT.interrupted;
  switch (outcome.status) {
    case 'succeeded':
    case 'stopped':
    case 'running':
      return EXIT.ok;
    case 'paused':
      return EXIT.interrupted;
    case 'failed':
      return exitCodeFor(outcome.error?.code ?? 'E_STAGE_FAILED');
    default:
      return unreachable(outcome.status);
  }
}

function unreachable(status: never): never {
  throw new TypeError(`unknown run status ${String(status)}`);
}
