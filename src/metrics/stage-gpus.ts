import type { StageSpec } from '../recipe/types.ts';

// GPUs a stage holds while it runs, for GPU-hours: a Slurm executor's gpus_per_node × nodes when it sets
// gpus_per_node (that is what the allocation holds), else the stage's resources.gpus.
export function stageGpus(stage: StageSpec): number {
  const executor = stage.executor;
  if (executor.kind === 'slurm' && executor.gpusPerNode !== undefined) return executor.gpusPerNode * (executor.nodes ?? 1);
  if (executor.kind === 'ray' && executor.numGpus !== undefined) return executor.numGpus;
  return stage.resources.gpus;
}
