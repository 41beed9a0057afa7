import { describe, expect, it } from 'vitest';
import { isCostMetric, withCostMetrics } from '../../src/metrics/cost-metrics.ts';
import { stageGpus } from '../../src/metrics/stage-gpus.ts';
import type { IterationSummary, StageSummary } from '../../src/metrics/read-run-report.ts';
import type { ExecutorSpec, Recipe, StageSpec } from '../../src/recipe/types.ts';

const spec = (name: string, gpus: number, executor: ExecutorSpec = { kind: 'local' }): StageSpec => ({
  name,
  command: ['true'],
  executor,
  resources: { gpus, cpus: 1 },
  env: {},
  outputs: {},
  retry: { attempts: 1, backoffSeconds: 0 },
});
const slurm: ExecutorSpec = { kind: 'slurm', gpusPerNode: 4, nodes: 2, sbatchArgs: [], setup: [], sharedFilesystem: true };
const recipe = { stages: [spec('train_sft', 1, slurm), spec('sample_rm', 2), spec('eval', 0)] } as unknown as Recipe;

const stage = (wallMs: number | null, status: StageSummary['status'] = 'succeeded'): StageSummary => ({
  status,
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: null,
  exitCode: 0,
  attempt: 1,
  durationMs: wallMs,
  wallMs,
});

describe('withCostMetrics', () => {
  it('wall time per stage and iteration; GPU-hours from resources.gpus or Slurm gpus_per_node × nodes; a running total', () => {
    const iterations: IterationSummary[] = [
      { index: 0, metrics: { 'eval.accuracy': 0.5 }, stages: { train_sft: stage(1_800_000), eval: stage(60_000) } },
      { index: 1, metrics: {}, stages: { sample_rm: stage(3_600_000), train_sft: stage(900_000), eval: stage(null, 'running') } },
      { index: 2, metrics: {}, stages: { train_sft: stage(null, 'running') } },
    ];
    const [first, second, third] = withCostMetrics(iterations, recipe);
    expect(first!.metrics).toEqual({
      'eval.accuracy': 0.5,
      'time.train_sft.seconds': 1800,
      'time.eval.seconds': 60,
      'time.total.seconds': 1860,
      'gpu_hours.train_sft': 4, // 8 GPUs (4 per node × 2 nodes) for half an hour
      'gpu_hours.total': 4,
      'gpu_hours.cumulative': 4,
    });
    expect(second!.metrics).toEqual({
      'time.sample_rm.seconds': 3600,
      'time.train_sft.seconds': 900,
      'time.total.seconds': 4500,
      'gpu_hours.sample_rm': 2,
      'gpu_hours.train_sft': 2,
      'gpu_hours.total': 4,
      'gpu_hours.cumulative': 8,
    });
    expect(third).toBe(iterations[2]); // nothing ended yet: no cost metrics
  });

  it('stageGpus and isCostMetric', () => {
    expect(stageGpus(spec('x', 3))).toBe(3);
    expect(stageGpus(spec('x', 3, { kind: 'slurm', gpusPerNode: 2, sbatchArgs: [], setup: [], sharedFilesystem: true }))).toBe(2);
    expect(stageGpus(spec('x', 3, { kind: 'slurm', sbatchArgs: [], setup: [], sharedFilesystem: true }))).toBe(3);
    expect(['time.total.seconds', 'gpu_hours.total', 'eval.time', 'train_sft.loss'].map(isCostMetric)).toEqual([true, true, false, false]);
  });
});
