import path from 'node:path';
import type { Recipe, StageSpec } from '../recipe/types.ts';
import type { LoopStage } from '../recipe/stage-names.ts';
import { renderTemplate } from '../recipe/placeholders.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { stageSeed } from './stage-seed.ts';
import { CURVES_FILE } from '../metrics/read-curves.ts';
import { LOOP_BIN } from '../recipe/expand-builtin-stages.ts';

// Everything a stage's command may refer to, for one attempt.
export interface StageContext {
  run: string;
  paths: RunPaths;
  recipe: Recipe;
  stage: StageSpec;
  iteration: number;
  attempt: number;
  latest: Partial<Record<LoopStage, number>>;
  /** One shard of a sharded stage (`shards: N`): its `{{ out }}` is the shard's own folder. */
  shard?: { index: number; count: number; out: string };
  /** From the run's trackers: MLFLOW_RUN_ID of the stage's child run and the like (src/tracking). */
  trackingEnv?: Record<string, string>;
}

// Resolves one placeholder reference to its value, or undefined when it has none (yet).
export function resolveReference(ctx: StageContext, ref: string[]): string | undefined {
  const [root, name] = ref;
  if (ref.length === 1) {
    switch (root) {
      case 'out':
        return ctx.shard?.out ?? ctx.paths.stageOut(ctx.iteration, ctx.stage.name);
      case 'shard':
        return String(ctx.shard?.index ?? 0);
      case 'shards':
        return String(ctx.shard?.count ?? 1);
      case 'iteration':
        return String(ctx.iteration);
      case 'seed':
        return String(stageSeed(ctx.recipe.seed, ctx.iteration, ctx.stage.name));
      case 'attempt':
        return String(ctx.attempt);
      case 'run':
        return ctx.run;
      case 'run_dir':
        return ctx.paths.root;
      case 'recipe_dir':
        return ctx.recipe.recipeDir;
      case 'stage':
        return ctx.stage.name;
      default:
        return undefined;
    }
  }
  if (root === 'vars') return ctx.recipe.vars[name!] === undefined ? undefined : String(ctx.recipe.vars[name!]);
  if (root === 'inputs') return ctx.recipe.inputs[name!];
  const producer = ctx.recipe.stages.find((s) => s.name === root);
  const iteration = ctx.latest[root as LoopStage];
  if (!producer || iteration === undefined || producer.outputs[name!] === undefined) return undefined;
  return path.join(ctx.paths.stageOut(iteration, producer.name), producer.outputs[name!]!);
}

// The stage's argument list with every placeholder substituted, each element staying exactly one argument.
export function resolveCommand(ctx: StageContext): string[] {
  return ctx.stage.command.map((arg) => renderTemplate(arg, (ref) => resolveReference(ctx, ref)));
}

// The LOOP_* variables every stage process gets, and those that group its own experiment logging with the loop's
// (W&B always; MLflow with tracking.mlflow): docs/stage-contract.md. The recipe's stage env comes last and wins.
export function stageEnvironment(ctx: StageContext): Record<string, string> {
  const out = ctx.shard?.out ?? ctx.paths.stageOut(ctx.iteration, ctx.stage.name);
  return {
    LOOP_RUN: ctx.run,
    LOOP_RUN_DIR: ctx.paths.root,
    LOOP_RECIPE_DIR: ctx.recipe.recipeDir,
    LOOP_ITERATION: String(ctx.iteration),
    LOOP_STAGE: ctx.stage.name,
    LOOP_ATTEMPT: String(ctx.attempt),
    LOOP_SEED: String(stageSeed(ctx.recipe.seed, ctx.iteration, ctx.stage.name)),
    LOOP_OUT: out,
    LOOP_METRICS: path.join(out, 'metrics.json'),
    LOOP_CURVES: path.join(out, CURVES_FILE),
    LOOP_GPUS: String(ctx.stage.resources.gpus),
    LOOP_CPUS: String(ctx.stage.resources.cpus),
    // This installation's `loop`, so a stage's script can run `loop data …` (recipes/qwen2.5-math/rm_pairs.py).
    LOOP_NODE: process.execPath,
    LOOP_BIN,
    ...(ctx.shard ? { LOOP_SHARD_INDEX: String(ctx.shard.index), LOOP_SHARD_COUNT: String(ctx.shard.count) } : {}),
    WANDB_RUN_GROUP: ctx.run,
    WANDB_JOB_TYPE: ctx.stage.name,
    WANDB_NAME: `${ctx.run}-iter-${ctx.iteration}-${ctx.stage.name}${ctx.shard ? `-shard-${ctx.shard.index}` : ''}`,
    ...ctx.trackingEnv,
    ...Object.fromEntries(
      Object.entries(ctx.stage.env).map(([key, value]) => [key, renderTemplate(value, (ref) => resolveReference(ctx, ref))]),
    ),
  };
}
