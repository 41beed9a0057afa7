// The normalized recipe: what every part after validation reads. Paths are absolute, durations are seconds.

export type ExecutorSpec =
  | { kind: 'local' }
  | {
      kind: 'slurm';
      partition?: string;
      account?: string;
      qos?: string;
      nodes?: number;
      gpusPerNode?: number;
      cpus?: number;
      memory?: string;
      sbatchArgs: string[];
      setup: string[];
      loginHost?: string;
      loginOptions?: string[];
      workdir?: string;
      sharedFilesystem: boolean;
    }
  | {
      kind: 'ssh';
      host: string;
      user?: string;
      port?: number;
      identityFile?: string;
      workdir?: string;
      setup: string[];
      options: string[];
      sharedFilesystem: boolean;
    }
  | {
      kind: 'ray';
      /** The dashboard's URL as the recipe gave it; undefined: RAY_ADDRESS, else http://127.0.0.1:8265 (read at run time). */
      address?: string;
      runtimeEnv?: Record<string, unknown>;
      numCpus?: number;
      numGpus?: number;
      entrypointResources?: Record<string, number>;
      metadata: Record<string, string>;
      /** With sharedFilesystem false: the node files are copied to over ssh ("user@host:port"), and its -o options. */
      headHost?: string;
      headOptions?: string[];
      workdir?: string;
      sharedFilesystem: boolean;
    };

export interface Resources {
  gpus: number;
  cpus: number;
  memory?: string;
  /** Wall-clock limit in seconds; undefined means no limit. */
  timeSeconds?: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  attempts: number;
  backoffSeconds: number;
}

export interface StageSpec {
  name: string;
  /** Argument list; each element may hold `{{ placeholder }}` expressions, substituted per argument. */
  command: string[];
  executor: ExecutorSpec;
  resources: Resources;
  env: Record<string, string>;
  /** Declared outputs: name → path relative to the stage's output directory. */
  outputs: Record<string, string>;
  retry: RetryPolicy;
  /** Sharded stages (`shards: N`): N tasks, each with its own output folder, merged in shard order. */
  shards?: number;
  /** With shards: how many run at once; undefined means the executor's default. */
  parallelShards?: number;
}

export interface PlateauRule {
  metric: string;
  delta: number;
  window: number;
}

export interface StopRule {
  maxIterations?: number;
  /** A metric condition such as `eval.accuracy >= 0.85`, parsed by src/until. */
  metric?: string;
  plateau?: PlateauRule;
  walltimeSeconds?: number;
}

export interface MetricSpec {
  name: string;
  higherIsBetter: boolean;
}

export interface StoreSpec {
  kind: 'local' | 'hf';
  /** hf: the user or organization owning the run's repos; local: a folder name (default "local"). */
  namespace: string;
  private: boolean;
  /** hf: the Hub URL; absent: $HF_ENDPOINT, else https://huggingface.co (read when the run starts). */
  endpoint?: string;
  /** Upload while the next stage runs. */
  overlap: boolean;
}

export interface TrackingSpec {
  /** Absent: no MLflow. */
  mlflow?: {
    /** Absent: $MLFLOW_TRACKING_URI, read when the run starts. */
    trackingUri?: string;
    experiment: string;
    /** Absent: the loop run's name. */
    runName?: string;
    /** The stages given a child run as MLFLOW_RUN_ID: all, or those named. */
    stageRuns: boolean | string[];
  };
  /** Absent: no TensorBoard files. */
  tensorboard?: {
    /** Absolute; absent: RUN_DIR/tensorboard. */
    dir?: string;
  };
}

export type NotifyEvent = 'iteration_finished' | 'run_finished' | 'stage_failed' | 'paused' | 'target_reached';

export interface NotifySpec {
  /** The name of the variable holding the webhook URL (the URL is a secret: never in the recipe or the run folder). */
  webhookEnv?: string;
  command?: string[];
  on: NotifyEvent[];
  timeoutSeconds: number;
  attempts: number;
}

export interface Recipe {
  name: string;
  loop: 'evolve';
  seed: number;
  /** Absolute path of the recipe file's folder: relative input paths and `{{ recipe_dir }}` resolve against it. */
  recipeDir: string;
  recipeFile: string;
  vars: Record<string, string | number | boolean>;
  /** Input name → absolute path. */
  inputs: Record<string, string>;
  executor: ExecutorSpec;
  /** Stages in the evolve order, only those the recipe defines; then the RL phase's, when it is enabled. */
  stages: StageSpec[];
  /** The recipe's `rl:` section: absent when it has none; `enabled: false` when its stages are left out. */
  rl?: { enabled: boolean };
  until: StopRule;
  /** The metric `loop status` and `loop ls` show first. */
  mainMetric: string;
  metrics: MetricSpec[];
  /** Where iterations are versioned; absent in runs made before stores existed (then local). */
  store?: StoreSpec;
  /** Experiment tracking (docs/tracking.md); absent: none. */
  tracking?: TrackingSpec;
  /** Notifications (docs/tracking.md); absent: none. */
  notify?: NotifySpec;
}
