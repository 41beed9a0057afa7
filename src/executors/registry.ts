import { LoopError } from '../errors/loop-error.ts';
import type { Executor } from './executor.ts';
import { createLocalExecutor } from './local/run-local.ts';

// Kinds the recipe schema accepts but this version cannot run yet.
const NOT_YET_AVAILABLE = new Set(['slurm', 'ssh']);

let localExecutor: Executor | undefined;

// Maps a recipe's `executor.kind` to its backend, with a message that tells the user how to run locally instead.
export function getExecutor(kind: string): Executor {
  if (kind === 'local') {
    localExecutor ??= createLocalExecutor();
    return localExecutor;
  }

  if (NOT_YET_AVAILABLE.has(kind)) {
    throw new LoopError(
      'E_EXECUTOR_UNAVAILABLE',
      `executor "${kind}" is declared in the recipe schema but not yet available in this version of loop; ` +
        'to run locally, use `--set executor.kind=local` (or set the stage\'s `executor.kind` to local)',
    );
  }

  throw new LoopError(
    'E_EXECUTOR_UNAVAILABLE',
    `unknown executor kind "${kind}"; known kinds: local, ${[...NOT_YET_AVAILABLE].join(', ')}. ` +
      'Use `--set executor.kind=local` to run locally',
  );
}
