import path from 'node:path';
import type { RawExecutor, RawRecipe, RawStage } from './schema.ts';
import type { ExecutorSpec, NotifySpec, Recipe, StageSpec, TrackingSpec } from './types.ts';
import { NOTIFY_EVENTS } from './schema.ts';
import type { RuleIssue } from './check-placeholders.ts';
import type { PathSegment } from './locate.ts';
import { EVOLVE_STAGES, RL_STAGES } from './stage-names.ts';
import { parseDuration } from '../until/parse-duration.ts';
import { LoopError } from '../errors/loop-error.ts';
import { isUrl } from './names.ts';

export interface Normalized {
  recipe?: Recipe;
  issues: RuleIssue[];
}

// Fills defaults, resolves paths against the recipe's folder and turns durations into seconds.
export function normalize(raw: RawRecipe, recipeFile: string): Normalized {
  const issues: RuleIssue[] = [];
  const seconds = (value: string | number | undefined, at: PathSegment[]): number | undefined => {
    if (value === undefined) return undefined;
    try {
      return parseDuration(value);
    } catch (error) {
      if (!(error instanceof LoopError)) throw error;
      issues.push({ path: at, message: error.message });
      return undefined;
    }
  };
  // A time limit of zero would stop every stage at once: it is a mistake, not "no limit".
  const positive = (value: number | undefined, at: PathSegment[]): number | undefined => {
    if (value === 0) issues.push({ path: at, message: 'must be more than 0; leave "time" out for no limit' });
    return value;
  };
  const recipeDir = path.dirname(path.resolve(recipeFile));
  const executor = normalizeExecutor(raw.executor ?? { kind: 'local' });
  const stages: StageSpec[] = [];
  for (const name of EVOLVE_STAGES) {
    const stage = (raw.stages as Record<string, RawStage | undefined>)[name];
    if (stage) stages.push(normalizeStage(name, stage, executor, seconds, positive));
  }
  const rlEnabled = raw.rl !== undefined && raw.rl.enabled !== false;
  for (const name of rlEnabled ? RL_STAGES : []) {
    const stage = (raw.rl!.stages as Record<string, RawStage | undefined>)[name];
    if (stage) stages.push(normalizeStage(name, stage, executor, seconds, positive, ['rl', 'stages']));
  }
  const until = raw.until;
  const recipe: Recipe = {
    name: raw.name,
    loop: raw.loop,
    seed: raw.seed ?? 0,
    recipeDir,
    recipeFile: path.resolve(recipeFile),
    vars: { ...(raw.vars ?? {}) },
    inputs: Object.fromEntries(Object.entries(raw.inputs ?? {}).map(([key, value]) => [key, resolveInput(recipeDir, value)])),
    executor,
    stages,
    ...(raw.rl ? { rl: { enabled: rlEnabled } } : {}),
    until: {
      maxIterations: until.max_iterations,
      metric: until.metric,
      plateau: until.plateau,
      walltimeSeconds: seconds(until.walltime, ['until', 'walltime']),
    },
    mainMetric: raw.metrics?.main ?? 'eval.accuracy',
    metrics: Object.entries(raw.metrics?.direction ?? {}).map(([name, direction]) => ({
      name,
      higherIsBetter: direction === 'higher',
    })),
    store: {
      kind: raw.store?.kind ?? 'local',
      namespace: raw.store?.namespace ?? 'local',
      private: raw.store?.private ?? true,
      endpoint: raw.store?.endpoint,
      overlap: raw.store?.overlap ?? false,
    },
    ...(raw.tracking ? { tracking: normalizeTracking(raw.tracking, raw.name, recipeDir) } : {}),
    ...(raw.notify ? { notify: normalizeNotify(raw.notify, seconds) } : {}),
  };
  const stageRuns = raw.tracking?.mlflow?.stage_runs;
  for (const [i, name] of (Array.isArray(stageRuns) ? stageRuns : []).entries()) {
    if (!stages.some((s) => s.name === name)) {
      issues.push({
        path: ['tracking', 'mlflow', 'stage_runs', i],
        message: `no stage "${name}" in this recipe; name one of ${stages.map((s) => s.name).join(', ')}`,
      });
    }
  }
  return issues.length > 0 ? { issues } : { recipe, issues };
}

function normalizeTracking(raw: NonNullable<RawRecipe['tracking']>, name: string, recipeDir: string): TrackingSpec {
  const { mlflow, tensorboard } = raw;
  return {
    ...(mlflow
      ? {
          mlflow: {
            trackingUri: mlflow.tracking_uri,
            experiment: mlflow.experiment ?? name,
            runName: mlflow.run_name,
            stageRuns: mlflow.stage_runs ?? false,
          },
        }
      : {}),
    ...(tensorboard ? { tensorboard: { dir: tensorboard.dir === undefined ? undefined : path.resolve(recipeDir, tensorboard.dir) } } : {}),
  };
}

function normalizeNotify(
  raw: NonNullable<RawRecipe['notify']>,
  seconds: (value: string | number | undefined, at: PathSegment[]) => number | undefined,
): NotifySpec {
  return {
    ...(raw.webhook ? { webhookEnv: raw.webhook.url_env ?? 'LOOP_NOTIFY_WEBHOOK_URL' } : {}),
    ...(raw.command ? { command: raw.command.map(String) } : {}),
    on: [...new Set(raw.on ?? NOTIFY_EVENTS)],
    timeoutSeconds: seconds(raw.timeout, ['notify', 'timeout']) ?? 10,
    attempts: raw.attempts ?? 3,
  };
}

function normalizeStage(
  name: string,
  stage: RawStage,
  fallback: ExecutorSpec,
  seconds: (value: string | number | undefined, at: PathSegment[]) => number | undefined,
  positive: (value: number | undefined, at: PathSegment[]) => number | undefined,
  section: PathSegment[] = ['stages'],
): StageSpec {
  return {
    name,
    command: (stage.command ?? []).map(String),
    executor: stage.executor ? normalizeExecutor(stage.executor) : fallback,
    resources: {
      gpus: stage.resources?.gpus ?? 0,
      cpus: stage.resources?.cpus ?? 1,
      memory: stage.resources?.memory,
      timeSeconds: positive(seconds(stage.resources?.time, [...section, name, 'resources', 'time']), [
        ...section,
        name,
        'resources',
        'time',
      ]),
    },
    env: Object.fromEntries(Object.entries(stage.env ?? {}).map(([k, v]) => [k, String(v)])),
    outputs: { ...(stage.outputs ?? {}) },
    retry: {
      attempts: stage.retry?.attempts ?? 1,
      backoffSeconds: seconds(stage.retry?.backoff, [...section, name, 'retry', 'backoff']) ?? 0,
    },
    ...(stage.shards !== undefined ? { shards: stage.shards } : {}),
    ...(stage.parallel_shards !== undefined ? { parallelShards: stage.parallel_shards } : {}),
  };
}

function normalizeExecutor(raw: RawExecutor): ExecutorSpec {
  switch (raw.kind) {
    case 'local':
      return { kind: 'local' };
    case 'slurm':
      return {
        kind: 'slurm',
        partition: raw.partition,
        account: raw.account,
        qos: raw.qos,
        nodes: raw.nodes,
        gpusPerNode: raw.gpus_per_node,
        cpus: raw.cpus,
        memory: raw.memory,
        sbatchArgs: raw.sbatch_args ?? [],
        setup: raw.setup ?? [],
        loginHost: raw.login_host,
        loginOptions: raw.login_options ?? [],
        workdir: raw.workdir,
        sharedFilesystem: raw.shared_filesystem ?? true,
      };
    case 'ssh':
      return {
        kind: 'ssh',
        host: raw.host,
        user: raw.user,
        port: raw.port,
        identityFile: raw.identity_file,
        workdir: raw.workdir,
        setup: raw.setup ?? [],
        options: raw.options ?? [],
        sharedFilesystem: raw.shared_filesystem ?? true,
      };
    case 'ray':
      return {
        kind: 'ray',
        address: raw.address,
        runtimeEnv: raw.runtime_env,
        numCpus: raw.num_cpus,
        numGpus: raw.num_gpus,
        entrypointResources: raw.entrypoint_resources,
        metadata: raw.metadata ?? {},
        headHost: raw.head_host,
        headOptions: raw.head_options ?? [],
        workdir: raw.workdir,
        sharedFilesystem: raw.shared_filesystem ?? true,
      };
  }
}

// Relative input paths resolve against the recipe's folder; URLs (hf://, s3://) are kept as written.
function resolveInput(recipeDir: string, value: string): string {
  return isUrl(value) ? value : path.resolve(recipeDir, value);
}
