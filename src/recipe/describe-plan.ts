import { parseTemplate } from './placeholders.ts';
import { INITIAL_STAGES, isRlStage, type EvolveStage } from './stage-names.ts';
import type { ExecutorSpec, Recipe, StageSpec } from './types.ts';
import { formatDuration } from '../until/parse-duration.ts';

export interface PlannedStage {
  name: string;
  /** Which iterations run it. */
  runs: 'every iteration' | 'iterations 1 and later' | 'RL phase, once after the loop';
  executor: string;
  resources: StageSpec['resources'];
  retry: StageSpec['retry'];
  outputs: Record<string, string>;
  /** Placeholders naming other stages' outputs, inputs and vars: the data edges of the graph. */
  reads: string[];
  command: string[];
  /** Sharded stages: how many shards, and how many at once when the recipe says. */
  shards?: number;
  parallelShards?: number;
}

export interface Plan {
  name: string;
  loop: string;
  seed: number;
  stopRule: string[];
  iteration0: string[];
  iteration: string[];
  /** The RL phase's stages in order; empty when the recipe has none or it is disabled. */
  rl: string[];
  /** Whether the recipe's `rl:` section is present but turned off (`rl.enabled: false`). */
  rlDisabled: boolean;
  stages: PlannedStage[];
}

// The stage graph of a recipe as data: what `loop plan` prints, and what --json gives tools.
export function describePlan(recipe: Recipe): Plan {
  const stages = recipe.stages.map(
    (stage): PlannedStage => ({
      name: stage.name,
      runs: isRlStage(stage.name)
        ? 'RL phase, once after the loop'
        : INITIAL_STAGES.includes(stage.name as EvolveStage)
          ? 'every iteration'
          : 'iterations 1 and later',
      executor: describeExecutor(stage.executor),
      resources: stage.resources,
      retry: stage.retry,
      outputs: stage.outputs,
      reads: reads(stage),
      command: stage.command,
      ...(stage.shards !== undefined ? { shards: stage.shards } : {}),
      ...(stage.parallelShards !== undefined ? { parallelShards: stage.parallelShards } : {}),
    }),
  );
  return {
    name: recipe.name,
    loop: recipe.loop,
    seed: recipe.seed,
    stopRule: describeStopRule(recipe),
    iteration0: stages.filter((s) => s.runs === 'every iteration').map((s) => s.name),
    iteration: stages.filter((s) => !isRlStage(s.name)).map((s) => s.name),
    rl: stages.filter((s) => isRlStage(s.name)).map((s) => s.name),
    rlDisabled: recipe.rl?.enabled === false,
    stages,
  };
}

function reads(stage: StageSpec): string[] {
  const found = new Set<string>();
  for (const arg of stage.command) {
    for (const part of parseTemplate(arg)) {
      if (typeof part === 'string') continue;
      const refs = part.alternatives.filter((r) => r.length === 2).map((r) => r.join('.'));
      if (refs.length > 0) found.add(refs.join(' ?? '));
    }
  }
  return [...found];
}

// An executor in a few words: "local", "slurm partition=gpu account=acme".
export function describeExecutor(executor: ExecutorSpec): string {
  if (executor.kind === 'local') return 'local';
  if (executor.kind === 'ssh')
    return `ssh ${executor.user ? `${executor.user}@` : ''}${executor.host}${executor.port ? `:${executor.port}` : ''}`;
  const parts = [
    executor.partition && `partition=${executor.partition}`,
    executor.account && `account=${executor.account}`,
    executor.qos && `qos=${executor.qos}`,
    executor.nodes && `nodes=${executor.nodes}`,
    executor.gpusPerNode !== undefined && `gpus/node=${executor.gpusPerNode}`,
  ].filter(Boolean);
  return `slurm ${parts.join(' ')}`.trim();
}

// The stop rule as sentences, in the order it is checked.
export function describeStopRule(recipe: Recipe): string[] {
  const u = recipe.until;
  const lines: string[] = [];
  if (u.metric) lines.push(`when ${u.metric}`);
  if (u.plateau) lines.push(`when ${u.plateau.metric} improves by less than ${u.plateau.delta} over ${u.plateau.window} iteration(s)`);
  if (u.walltimeSeconds !== undefined) lines.push(`after ${formatDuration(u.walltimeSeconds)} of wall time`);
  if (u.maxIterations !== undefined) lines.push(`after iteration ${u.maxIterations}`);
  return lines;
}
