import { LoopError } from '../errors/loop-error.ts';
import type { Executor } from './executor.ts';
import { createLocalExecutor } from './local/run-local.ts';
import { createSlurmExecutor } from './slurm/run-slurm.ts';
import { createSshExecutor } from './ssh/run-ssh.ts';
import { withTransfer } from './wrappers/transfer/with-transfer.ts';

// Each backend by the name a recipe's `executor.kind` uses; created on first use, shared afterwards.
const FACTORIES: Record<string, () => Executor> = {
  local: createLocalExecutor,
  // Remote executors copy inputs and outputs themselves where a host has no shared filesystem.
  slurm: () => withTransfer(createSlurmExecutor(), { local: createLocalExecutor() }),
  ssh: () => withTransfer(createSshExecutor(), { local: createLocalExecutor() }),
};
const created = new Map<string, Executor>();

// Maps a recipe's `executor.kind` to its backend, with a message that lists the kinds there are.
export function getExecutor(kind: string): Executor {
  const factory = FACTORIES[kind];
  if (!factory) {
    throw new LoopError(
      'E_EXECUTOR_UNAVAILABLE',
      `unknown executor kind "${kind}"; known kinds: ${Object.keys(FACTORIES).join(', ')}. ` +
        'Use `--set executor.kind=local` to run locally',
    );
  }
  let executor = created.get(kind);
  if (!executor) created.set(kind, (executor = factory()));
  return executor;
}
