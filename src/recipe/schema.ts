import { z } from 'zod';
import { RUN_NAME } from './names.ts';
import { MAX_NAME_LENGTH } from './check-name.ts';
import { BUILTIN_KIND_NAMES } from './builtin-kinds.ts';

// The recipe as written in YAML (snake_case keys). normalize.ts turns it into the Recipe type.

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

const duration = z.union([z.string(), z.number().nonnegative()]).meta({
  id: 'duration',
  description: 'A duration: seconds as a number, or "90s", "15m", "4h", "2d", "1h30m", "HH:MM:SS", "D-HH:MM:SS".',
});

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const setupLines = z.array(z.string()).describe('Shell lines run before the stage command on the host (module load, conda activate).');

const sharedFilesystem = z
  .boolean()
  .optional()
  .describe(
    'Whether the host sees the run and recipe folders at the same paths (default true); false: inputs are copied to workdir on the host ' +
      'and outputs copied back.',
  );

export const localExecutorSchema = z.strictObject({ kind: z.literal('local') });

export const slurmExecutorSchema = z.strictObject({
  kind: z.literal('slurm'),
  partition: z.string().optional(),
  account: z.string().optional(),
  qos: z.string().optional(),
  nodes: z.int().positive().optional(),
  gpus_per_node: z.int().nonnegative().optional(),
  cpus: z.int().positive().optional().describe("CPUs per task (sbatch --cpus-per-task); default: the stage's resources.cpus."),
  memory: z.string().optional().describe('Memory per node, e.g. "512G".'),
  sbatch_args: z.array(z.string()).optional().describe('Extra sbatch options, one per element.'),
  setup: setupLines.optional(),
  login_host: z.string().optional().describe('A login node reached over SSH to run sbatch; absent: sbatch runs here.'),
  login_options: z.array(z.string()).optional().describe('Extra ssh -o options for login_host, e.g. "IdentityFile=/path/key".'),
  workdir: z.string().optional().describe('With shared_filesystem: false, the absolute folder on the cluster that receives the copies.'),
  shared_filesystem: sharedFilesystem,
});

export const sshExecutorSchema = z.strictObject({
  kind: z.literal('ssh'),
  host: z.string().min(1),
  user: z.string().optional(),
  port: z.int().min(1).max(65535).optional(),
  identity_file: z.string().optional(),
  workdir: z.string().optional(),
  setup: setupLines.optional(),
  options: z.array(z.string()).optional().describe('Extra ssh -o options, e.g. "UserKnownHostsFile=/path/known_hosts".'),
  shared_filesystem: sharedFilesystem,
});

export const rayExecutorSchema = z.strictObject({
  kind: z.literal('ray'),
  address: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, 'must be the dashboard\'s http(s) URL, e.g. "http://127.0.0.1:8265"')
    .optional()
    .describe('The Ray dashboard (Jobs API), e.g. "http://head:8265"; default: RAY_ADDRESS, else http://127.0.0.1:8265.'),
  runtime_env: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Ray runtime_env of each job (env_vars, pip, conda, working_dir…), passed as is.'),
  num_cpus: z.number().nonnegative().optional().describe("CPUs reserved for the job's entrypoint (default: the stage's resources.cpus)."),
  num_gpus: z.number().nonnegative().optional().describe("GPUs reserved for the job's entrypoint (default: the stage's resources.gpus)."),
  entrypoint_resources: z
    .record(z.string(), z.number().nonnegative())
    .optional()
    .describe('Custom Ray resources reserved for the entrypoint, e.g. {accelerator_type:H100: 1}.'),
  metadata: z
    .record(z.string(), z.string())
    .optional()
    .describe("Added to each job's metadata (loop adds run, iteration, stage, attempt)."),
  head_host: z
    .string()
    .min(1)
    .optional()
    .describe(
      'With shared_filesystem: false, the node files are copied to over ssh ("host", "user@host" or "user@host:port"): the head ' +
        'node, or any node that sees workdir as the jobs do.',
    ),
  head_options: z.array(z.string()).optional().describe('Extra ssh -o options for head_host, e.g. "IdentityFile=/path/key".'),
  workdir: z
    .string()
    .optional()
    .describe("With shared_filesystem: false, the absolute folder on the cluster that receives the copies (seen by the jobs' nodes)."),
  shared_filesystem: z
    .boolean()
    .optional()
    .describe(
      'Whether the cluster sees the run and recipe folders at the same paths (default true); false: inputs are copied to workdir ' +
        'through head_host over ssh, and outputs copied back.',
    ),
});

export const executorSchema = z
  .discriminatedUnion('kind', [localExecutorSchema, slurmExecutorSchema, sshExecutorSchema, rayExecutorSchema])
  .meta({ id: 'executor', description: 'Where a stage runs: local (default), slurm, ssh or ray.' });

export const resourcesSchema = z.strictObject({
  gpus: z.int().nonnegative().optional(),
  cpus: z.int().positive().optional(),
  memory: z.string().optional(),
  time: duration.optional().describe('Wall-clock limit (more than 0); the stage is stopped and fails past it.'),
});

export const retrySchema = z.strictObject({
  attempts: z.int().min(1).describe('Attempts in all, the first included (1 = no retry).'),
  backoff: duration.optional().describe('Wait between attempts.'),
});

export const stageSchema = z
  .strictObject({
    command: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional()
      .describe('Argument list, never run through a shell; each element may hold {{ placeholders }}. Give either command or kind.'),
    kind: z
      .enum(BUILTIN_KIND_NAMES)
      .optional()
      .describe('A built-in data step run as `loop data KIND` with the options under `with` (instead of a command).'),
    with: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.union([scalar, z.array(z.union([z.string(), z.number()]))]))
      .optional()
      .describe("The built-in kind's options: its `loop data` flags in snake_case (top_k: 2 → --top-k 2); lists repeat the flag."),
    executor: executorSchema.optional(),
    resources: resourcesSchema.optional(),
    env: z.record(z.string().regex(KEY), scalar).optional(),
    outputs: z
      .record(z.string().regex(KEY), z.string().min(1))
      .optional()
      .describe('Declared outputs: name → path relative to the stage output directory ({{ out }}).'),
    retry: retrySchema.optional(),
    shards: z
      .int()
      .min(1)
      .optional()
      .describe(
        'Run the stage as N shards (a Slurm job array; N processes locally or over SSH), each told LOOP_SHARD_INDEX and ' +
          'LOOP_SHARD_COUNT; declared outputs are merged in shard order.',
      ),
    parallel_shards: z
      .int()
      .min(1)
      .optional()
      .describe(
        'With shards: how many shards run at once (default: local, the cores over resources.cpus; ssh, all; Slurm, as the scheduler ' +
          'allows).',
      ),
  })
  .refine((s) => (s.command === undefined) !== (s.kind === undefined), {
    message:
      'needs either "command" (your program) or "kind" (a built-in data step such as select), not both; see docs/reference/recipe.md',
  })
  .refine((s) => s.kind !== undefined || s.with === undefined, {
    message: '"with" holds the options of a built-in "kind"; add "kind:" or remove "with"',
  })
  .refine((s) => s.kind === undefined || s.shards === undefined, {
    message: '"shards" splits your own command; a built-in "kind" runs whole, remove "shards"',
  })
  .refine((s) => s.shards !== undefined || s.parallel_shards === undefined, {
    message: '"parallel_shards" needs "shards: N" on the same stage',
  })
  .meta({ id: 'stage', description: 'One stage: its command, where it runs, its resources, outputs and retry policy.' });

// Written out (not generated from EVOLVE_STAGES) so the parsed type names each stage; a test pins the two together.
export const stagesSchema = z.strictObject({
  sample_rm: stageSchema,
  grade: stageSchema.optional(),
  train_rm: stageSchema,
  sample_sft: stageSchema,
  score: stageSchema.optional(),
  select: stageSchema,
  train_sft: stageSchema,
  eval: stageSchema,
});

// The RL phase's stages, written out like the loop's; a test pins them to RL_STAGES.
export const rlStagesSchema = z.strictObject({
  rl_sample: stageSchema.describe('Sample responses per RL query with the final SFT model ({{ train_sft.model }}); the method samples 8.'),
  rl_grade: stageSchema.optional().describe('Label each response correct or not by rule.'),
  rl_filter: stageSchema.describe('Keep the queries with 2 to 5 correct responses out of 8.'),
  rl_train: stageSchema.describe(
    'GRPO from the final SFT model with the final RM ({{ train_rm.model }}); reward sigmoid(0.5 · rm) + (correct − 1).',
  ),
  rl_eval: stageSchema.describe('Evaluate the RL policy ({{ rl_train.model }}).'),
});

export const rlSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Whether the RL phase runs (default true); `--set rl.enabled=false` leaves it out.'),
    stages: rlStagesSchema,
  })
  .meta({ id: 'rl', description: 'The RL phase, run once after the loop stops, with its last SFT model and RM: docs/rl-phase.md.' });

export const untilSchema = z
  .strictObject({
    max_iterations: z.int().nonnegative().optional().describe('Stop after this iteration (0 is the initial SFT model).'),
    metric: z.string().min(1).optional().describe('Stop when this condition holds, e.g. "eval.accuracy >= 0.85".'),
    plateau: z
      .strictObject({
        metric: z.string().min(1),
        delta: z.number().nonnegative(),
        window: z.int().positive(),
      })
      .optional()
      .describe('Stop when METRIC improved by less than DELTA over the last WINDOW iterations.'),
    walltime: duration.optional().describe('Stop once the run has lasted this long.'),
  })
  .refine((u) => Object.values(u).some((v) => v !== undefined), {
    message: 'needs at least one of max_iterations, metric, plateau, walltime; add e.g. "max_iterations: 3"',
  });

export const metricsSchema = z.strictObject({
  main: z.string().min(1).optional().describe('The metric `loop status` and `loop ls` show first (default eval.accuracy).'),
  direction: z
    .record(z.string(), z.enum(['higher', 'lower']))
    .optional()
    .describe('Per metric, whether higher or lower is better (default higher).'),
});

export const storeSchema = z
  .strictObject({
    kind: z
      .enum(['local', 'hf'])
      .optional()
      .describe('Where iterations are versioned: local (default, under LOOP_HOME/store) or hf (the Hugging Face Hub).'),
    namespace: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .optional()
      .describe('hf: the user or organization owning the repos NAMESPACE/RUN-sft, NAMESPACE/RUN-rm, NAMESPACE/RUN-data.'),
    private: z.boolean().optional().describe('hf: create the repos private (default true).'),
    endpoint: z
      .string()
      .regex(/^https?:\/\/[^\s@]+$/)
      .optional()
      .describe('hf: the Hub URL (default $HF_ENDPOINT, else https://huggingface.co).'),
    overlap: z.boolean().optional().describe('Upload while the next stage runs instead of before it starts (default false).'),
  })
  .refine((s) => s.kind !== 'hf' || s.namespace !== undefined, {
    message: 'store.kind hf needs store.namespace, the Hub user or organization, e.g. --set store.namespace=acme',
  })
  .meta({ id: 'store', description: "Where each iteration's outputs are versioned: docs/artifacts.md." });

export const trackingSchema = z
  .strictObject({
    mlflow: z
      .strictObject({
        tracking_uri: z
          .string()
          .regex(/^https?:\/\/[^\s/@]+(\/\S*)?$/, 'must be the server\'s http(s) URL without credentials, e.g. "http://127.0.0.1:5000"')
          .optional()
          .describe(
            'The MLflow tracking server (default $MLFLOW_TRACKING_URI); credentials go in MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD.',
          ),
        experiment: z.string().min(1).optional().describe("The MLflow experiment (created when missing; default: the recipe's name)."),
        run_name: z.string().min(1).optional().describe("The MLflow run's name (default: the loop run's name)."),
        stage_runs: z
          .union([z.boolean(), z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1)])
          .optional()
          .describe(
            'Give stages a child run of the loop\'s run as MLFLOW_RUN_ID (report_to="mlflow" logs into it): true for every stage, or ' +
              'a list of stages (default false).',
          ),
      })
      .optional()
      .describe("One MLflow run per loop run: params, tags, every iteration's metrics with step = iteration (docs/tracking.md)."),
    tensorboard: z
      .strictObject({
        dir: z
          .string()
          .min(1)
          .optional()
          .describe("Where the event files go (relative: to the recipe's folder; default RUN_DIR/tensorboard)."),
      })
      .optional()
      .describe('TensorBoard event files: one scalar per metric with step = iteration.'),
  })
  .meta({ id: 'tracking', description: 'Experiment tracking, off by default: docs/tracking.md.' });

export const NOTIFY_EVENTS = ['iteration_finished', 'run_finished', 'stage_failed', 'paused', 'target_reached'] as const;

export const notifySchema = z
  .strictObject({
    webhook: z
      .strictObject({
        url_env: z
          .string()
          .regex(KEY)
          .optional()
          .describe('The environment variable holding the webhook URL, a secret (default LOOP_NOTIFY_WEBHOOK_URL).'),
      })
      .optional()
      .describe('A JSON POST with a Slack-compatible "text" field and the event\'s fields.'),
    command: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional()
      .describe('A program run per event (no shell), the event as JSON on its standard input and LOOP_NOTIFY_EVENT set.'),
    on: z.array(z.enum(NOTIFY_EVENTS)).min(1).optional().describe('Which events are sent (default all).'),
    timeout: duration.optional().describe('Per attempt (default 10s).'),
    attempts: z.int().min(1).max(10).optional().describe('Attempts per event before it waits for the next flush (default 3).'),
  })
  .refine((n) => n.webhook !== undefined || n.command !== undefined, {
    message: 'needs "webhook" and/or "command", e.g. webhook: { url_env: LOOP_NOTIFY_WEBHOOK_URL }',
  })
  .meta({ id: 'notify', description: 'Messages when something needs a person: docs/tracking.md.' });

export const recipeSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().regex(RUN_NAME).max(MAX_NAME_LENGTH),
    loop: z.literal('evolve'),
    seed: z.int().nonnegative().optional(),
    vars: z.record(z.string().regex(KEY), scalar).optional(),
    inputs: z.record(z.string().regex(KEY), z.string().min(1)).optional(),
    executor: executorSchema.optional(),
    stages: stagesSchema,
    rl: rlSchema.optional(),
    until: untilSchema,
    metrics: metricsSchema.optional(),
    store: storeSchema.optional(),
    tracking: trackingSchema.optional(),
    notify: notifySchema.optional(),
  })
  .describe('A loop recipe: see docs/reference/recipe.md.');

export type RawRecipe = z.input<typeof recipeSchema>;
export type RawStage = z.input<typeof stageSchema>;
export type RawExecutor = z.input<typeof executorSchema>;
