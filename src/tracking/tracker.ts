import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { RunState } from '../run-folder/run-state.ts';
import { collectEntries, lastFinishedIteration } from './collect-entries.ts';
import { enqueue, markSent, pendingEntries, readOutbox, type OutboxEntry } from './outbox.ts';
import { trackingPaths } from './tracking-paths.ts';
import { mlflowClient, type MlflowClient } from './mlflow/mlflow-client.ts';
import { ensureMlflowRun } from './mlflow/ensure-mlflow-run.ts';
import { sendToMlflow } from './mlflow/send-to-mlflow.ts';
import { writeTensorboard } from './tensorboard/write-tensorboard.ts';
import { sendNotification } from './notify/send-notification.ts';
import { TrackingError } from './tracking-error.ts';
import { redactAddress } from '../recipe/redact-address.ts';
import { stageRunEnv } from './mlflow/stage-run-env.ts';

export interface TrackerOptions {
  name: string;
  paths: RunPaths;
  recipe: Recipe;
  env: NodeJS.ProcessEnv;
  fetch: typeof fetch;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  report: (line: string) => void;
  /** When the loop run was created (its state's createdAt): the MLflow run's start, the event file's name. */
  createdAt: string;
  /** How long to wait before trying again when something could not be sent (default 15 s). */
  retryMs?: number;
}

// The run's link to its trackers and notification targets. Every point or message is first queued in the run's
// outbox (tracking/outbox.jsonl), then sent in the background and marked sent; nothing here ever waits for a
// tracker or fails the loop: a tracker that is down keeps its points queued until it answers again.
export interface Tracker {
  /** Queues what the run folder and this state say is due (a state read back after a crash included) and sends it. */
  sync(state: RunState): void;
  /** A resumed run: its MLflow run is marked running again. */
  resumed(): void;
  /** MLflow variables for a stage about to start (its child run); waits at most a few seconds, {} when MLflow is off or down. */
  stageEnv(iteration: number, stage: string): Promise<Record<string, string>>;
  /** Sends what is queued, waiting at most `ms`; returns how many entries are still pending. */
  settle(ms: number): Promise<number>;
  /** Stops the retry timer. */
  close(): void;
}

// Checks the settings (a missing server or webhook variable is a TrackingError at the start), then opens the tracker.
export function openTracker(options: TrackerOptions): Tracker | undefined {
  const { recipe, env } = options;
  if (!recipe.tracking && !recipe.notify) return undefined;
  const tp = trackingPaths(options.paths, recipe);
  const mlflowSpec = recipe.tracking?.mlflow;
  let client: MlflowClient | undefined;
  if (mlflowSpec) {
    const uri = mlflowSpec.trackingUri ?? env.MLFLOW_TRACKING_URI;
    if (!uri || !/^https?:\/\//.test(uri)) {
      throw new TrackingError(
        `tracking.mlflow needs an MLflow server: set MLFLOW_TRACKING_URI or --set tracking.mlflow.tracking_uri=http://HOST:PORT` +
          (uri ? ` (MLFLOW_TRACKING_URI is not an http(s) URL; loop talks to a tracking server, not a local folder)` : ''),
      );
    }
    try {
      client = mlflowClient(uri, env, options.fetch);
    } catch {
      throw new TrackingError(`the MLflow tracking URI ${redactAddress(uri)} is not a URL; give e.g. http://127.0.0.1:5000`);
    }
  }
  const webhookEnv = recipe.notify?.webhookEnv;
  if (webhookEnv && !env[webhookEnv]) {
    throw new TrackingError(
      `notify.webhook needs the webhook URL in $${webhookEnv} (a secret: it is never written to the recipe or the run)`,
    );
  }

  let mlflowChain: Promise<unknown> = Promise.resolve();
  // MLflow calls one at a time: two callers must never both create the run.
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = mlflowChain.then(work);
    mlflowChain = next.catch(() => undefined);
    return next;
  };
  const parentRun = () =>
    ensureMlflowRun(
      client!,
      tp.mlflow,
      {
        experiment: mlflowSpec!.experiment,
        runName: mlflowSpec!.runName ?? options.name,
        tags: { 'loop.run': options.name, 'loop.run_dir': options.paths.root },
        startTime: Date.parse(options.createdAt),
      },
      (r) => ({ key: r.key, runId: r.runId }),
      (r, id) => void (r.runId = id),
    );

  let lastProblem: string | undefined;
  // Each problem is said once (not at every retry); `then` says what happens instead.
  const problem = (line: string, then = 'kept in the outbox, sent when it answers') => {
    if (line !== lastProblem) options.report(`tracking: ${line}; ${then}`);
    lastProblem = line;
  };

  // One pass over the outbox: TensorBoard rewritten, MLflow entries in order until one fails, then notifications.
  const flushOnce = async (): Promise<boolean> => {
    const view = readOutbox(tp);
    let ok = true;
    const board = pendingEntries(view, 'tensorboard');
    if (board.length > 0) {
      try {
        writeTensorboard(
          tp.tensorboard,
          options.createdAt,
          view.entries.filter((e) => e.sink === 'tensorboard'),
        );
        markSent(
          tp,
          board.map((e) => e.id),
        );
      } catch (error) {
        ok = false;
        problem(`TensorBoard files in ${tp.tensorboard}: ${(error as Error).message}`);
      }
    }
    const points = pendingEntries(view, 'mlflow');
    if (points.length > 0 && client) {
      try {
        await serial(async () => {
          const runId = await parentRun();
          for (const entry of points) {
            await sendToMlflow(client!, runId, entry);
            markSent(tp, [entry.id]);
          }
        });
      } catch (error) {
        ok = false;
        problem((error as Error).message);
      }
    }
    for (const entry of pendingEntries(view, 'notify')) {
      const failed = await sendNotification(recipe.notify!, options.name, entry, {
        env,
        fetch: options.fetch,
        sleep: options.sleep,
        cwd: recipe.recipeDir,
      });
      if (failed) {
        ok = false;
        problem(`notify: ${failed}`);
        break;
      }
      markSent(tp, [entry.id]);
    }
    if (ok) lastProblem = undefined;
    return ok;
  };

  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const kick = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let ok = true;
      do {
        again = false;
        ok = await flushOnce().catch((error: unknown) => (problem(String((error as Error)?.message ?? error)), false));
      } while (again);
      running = undefined;
      if (!ok && !closed) {
        timer = setTimeout(() => void kick(), options.retryMs ?? 15_000);
        timer.unref();
      }
    })();
    return running;
  };
  let closed = false;
  // The ids in the outbox (read once, then kept: this controller is its only writer), and the last iteration whose
  // entries are in it, so a sync reads only what is new.
  const queued = new Set<string>();
  let collectedThrough: number | undefined;
  const add = (entries: OutboxEntry[]): boolean => {
    try {
      if (enqueue(tp, entries, queued) > 0) void kick();
      return true;
    } catch (error) {
      problem(`the outbox ${tp.outbox}: ${(error as Error).message}`, 'tried again at the next transition');
      return false;
    }
  };

  return {
    sync(state) {
      // Called from the controller's transitions: whatever goes wrong here is reported, never thrown into the loop.
      try {
        const through = lastFinishedIteration(state);
        if (add(collectEntries(options.paths, recipe, state, options.now().toISOString(), collectedThrough))) {
          collectedThrough = Math.max(collectedThrough ?? -1, through);
        }
      } catch (error) {
        problem(`reading the run folder: ${(error as Error).message}`, 'tried again at the next transition');
      }
      // What a failed pass left: try again now that something happened.
      if (lastProblem !== undefined) void kick();
    },
    resumed() {
      if (!client) return;
      const at = options.now().toISOString();
      add([{ id: `mlflow:status:resumed-${at}`, sink: 'mlflow', kind: 'status', at, data: { status: 'RUNNING', stopReason: null } }]);
    },
    async stageEnv(iteration, stage) {
      if (!client) return {};
      // The server named in the recipe; one from MLFLOW_TRACKING_URI reaches the stage as it is, inherited.
      const base: Record<string, string> = {
        ...(mlflowSpec!.trackingUri ? { MLFLOW_TRACKING_URI: mlflowSpec!.trackingUri } : {}),
        MLFLOW_EXPERIMENT_NAME: mlflowSpec!.experiment,
      };
      const wanted = mlflowSpec!.stageRuns;
      if (wanted === false || (Array.isArray(wanted) && !wanted.includes(stage))) return base;
      try {
        const work = serial(async () => {
          const parent = await parentRun();
          const child = await stageRunEnv(client!, tp.mlflow, {
            parent,
            iteration,
            stage,
            run: options.name,
            experiment: mlflowSpec!.experiment,
          });
          return { ...base, ...child };
        });
        const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000).unref());
        const env = await Promise.race([work, timeout]);
        if (!env) problem('MLflow did not answer in 10 s', 'the stage runs without MLFLOW_RUN_ID');
        return env ?? base;
      } catch (error) {
        problem((error as Error).message, 'the stage runs without MLFLOW_RUN_ID');
        return base;
      }
    },
    async settle(ms) {
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
      await Promise.race([kick(), deadline]);
      return pendingEntries(readOutbox(tp)).length;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
