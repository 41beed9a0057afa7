import { LoopError } from '../errors/loop-error.ts';
import type { Backend } from './backend.ts';
import type { Executor } from './executor.ts';
import { localBackend } from './local/backend.ts';
import { slurmBackend } from './slurm/backend.ts';
import { sshBackend } from './ssh/backend.ts';
import { withTransfer } from './wrappers/transfer/with-transfer.ts';

// Every backend, registered by the name a recipe's `executor.kind` uses.
const BACKENDS: readonly Backend[] = [localBackend, slurmBackend, sshBackend];
const created = new Map<string, Executor>();

// The backend of a recipe's `executor.kind`, with a message that lists the kinds there are.
export function getBackend(kind: string): Backend {
  const backend = BACKENDS.find((known) => known.kind === kind);
  if (!backend) {
    throw new LoopError(
      'E_EXECUTOR_UNAVAILABLE',
      `unknown executor kind "${kind}"; known kinds: ${BACKENDS.map((known) => known.kind).join(', ')}. ` +
        'Use `--set executor.kind=local` to run locally',
    );
  }
  return backend;
}

// Maps a recipe's `executor.kind` to its executor, created on first use and shared afterwards. Remote backends copy
// inputs and outputs themselves where a host has no shared filesystem.
export function getExecutor(kind: string): Executor {
  let executor = created.get(kind);
  if (!executor) {
    const backend = getBackend(kind);
    executor = backend.remote ? withTransfer(backend.create(), { local: getExecutor('local') }) : backend.create();
    created.set(kind, executor);
  }
  return executor;
}
