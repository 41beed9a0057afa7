import { isDeepStrictEqual } from 'node:util';
import { LoopError } from '../errors/loop-error.ts';
import type { Recipe, StageSpec } from '../recipe/types.ts';
import { findProgram } from './common/find-program.ts';
import type { Backend } from './backend.ts';
import { getBackend } from './registry.ts';
import { isRlStage } from '../recipe/stage-names.ts';
import { hostTarget } from './wrappers/transfer/host-target.ts';

// Before a run starts: every stage's executor must be one this version can run, set up as it supports. The message
// names the stages and the exact overrides that move them to this machine.
export function checkExecutorsAvailable(recipe: Recipe, pathVariable: string | undefined = process.env.PATH): void {
  const problems = new Map<StageSpec, string>();
  for (const stage of recipe.stages) {
    const problem = whyUnavailable(stage, pathVariable);
    if (problem !== undefined) problems.set(stage, problem);
  }
  if (problems.size === 0) return;
  const fixes = new Set<string>();
  for (const stage of problems.keys()) {
    const at = isRlStage(stage.name) ? `rl.stages.${stage.name}` : `stages.${stage.name}`;
    fixes.add(isDeepStrictEqual(stage.executor, recipe.executor) ? '--set executor.kind=local' : `--set ${at}.executor.kind=local`);
  }
  const reasons = [...new Set(problems.values())].join('; ');
  throw new LoopError(
    'E_EXECUTOR_UNAVAILABLE',
    `stages ${[...problems.keys()].map((s) => s.name).join(', ')} cannot run: ${reasons}; ` +
      `fix that, or run them on this machine with ${[...fixes].join(' ')}`,
  );
}

// Why this stage's executor cannot run here, or undefined when it can (as far as can be told without a stage run).
function whyUnavailable(stage: StageSpec, pathVariable: string | undefined): string | undefined {
  let backend: Backend;
  try {
    backend = getBackend(stage.executor.kind);
  } catch (error) {
    if (error instanceof LoopError && error.code === 'E_EXECUTOR_UNAVAILABLE') return error.message;
    throw error;
  }
  const spec = stage.executor;
  if (backend.remote && spec.kind !== 'local' && !spec.sharedFilesystem) {
    if (stage.shards !== undefined) {
      return (
        `sharded stages (shards: ${stage.shards}) need a shared filesystem: copying each shard's files to and from a host is ` +
        'not supported yet; use shared_filesystem: true or drop shards'
      );
    }
    const host = hostTarget(spec);
    if ('error' in host) return host.error;
    if (findProgram('rsync', '/', pathVariable).error && findProgram('tar', '/', pathVariable).error) {
      return 'shared_filesystem: false copies files with rsync or tar, and neither is on PATH here; install rsync (Debian: rsync)';
    }
  }
  return backend.whyUnavailable(spec, pathVariable);
}
