import { availableParallelism } from 'node:os';
import { rmSync } from 'node:fs';
import { notRun } from '../common/not-run.ts';
import type { Executor, ShardedExecutor, ShardJob, ShardRunOptions, StageExecution, StageJob } from '../executor.ts';

// Runs the shards of one attempt and gives each one's outcome, in `shards` order. An executor that runs shards
// together (Slurm: one job array) does so; the others (local, SSH) run each shard as its own stage job, behind the
// same detached wrapper as a lone stage, at most `parallel` at once; after a controller restart each shard that had
// started is re-attached (followed or collected) and only the others are started.
export async function runShards(
  executor: Executor,
  array: StageJob,
  shards: ShardJob[],
  options: ShardRunOptions,
): Promise<StageExecution[]> {
  if (shards.length === 0) return [];
  if (isShardedExecutor(executor)) return executor.runShards(array, shards, options);
  const parallel = Math.max(1, Math.min(shards.length, options.parallel ?? defaultParallelism(executor.kind, array)));
  const results: StageExecution[] = new Array(shards.length);
  let next = 0;
  const worker = async () => {
    while (next < shards.length) {
      const i = next++;
      results[i] = await runShard(executor, shards[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

// How many shards run at once when the recipe does not say (parallel_shards): locally, as many as the cores allow
// at the stage's resources.cpus each; over SSH (and elsewhere), all of them: the host is sized for the stage.
export function defaultParallelism(kind: string, job: Pick<StageJob, 'resources'>, cores = availableParallelism()): number {
  if (kind !== 'local') return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor(cores / Math.max(1, job.resources?.cpus ?? 1)));
}

// One shard: re-attached when the controller restarted and it had started, else started afresh.
async function runShard(executor: Executor, shard: ShardJob, options: ShardRunOptions): Promise<StageExecution> {
  if (options.resumeFrom !== undefined && executor.reattach) {
    const found = await executor.reattach(shard, options.resumeFrom);
    if (found) return found;
  }
  options.prepare?.(shard);
  if (shard.controlPrefix) rmSync(`${shard.controlPrefix}.exit`, { force: true });
  const startedAt = new Date();
  return executor.run(shard).catch((error: unknown) => notRun(error, 'shard', startedAt.toISOString(), new Date().toISOString()));
}

// Whether this executor runs shards together itself.
export function isShardedExecutor(executor: Executor): executor is ShardedExecutor {
  return typeof (executor as Partial<ShardedExecutor>).runShards === 'function';
}
