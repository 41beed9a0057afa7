import { hostname } from 'node:os';
import { createActor, fromPromise, type SnapshotFrom } from 'xstate';
import { evolveMachine } from './machine/evolve.ts';
import type { EvolveContext, StageInput, StageOutput } from './machine/evolve-types.ts';
import { EVOLVE_STAGES, RL_STAGES, isLoopStage, type LoopStage } from '../recipe/stage-names.ts';
import { readStageRecord } from '../run-folder/stage-record.ts';
import { plateauHigherIsBetter } from '../recipe/plateau-direction.ts';
import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { runStage, type StageRunnerDeps } from './run-stage.ts';
import { STATE_VERSION, writeRunState, type RunState, type RunStatus } from '../run-folder/run-state.ts';
import { appendEvent, type RunEvent } from '../run-folder/events-log.ts';
import { appendIterationIndex, type IndexTotals } from '../run-folder/iteration-index.ts';
import { totalsBefore } from '../metrics/read-run-report.ts';
import { nextTotals } from '../metrics/index-totals.ts';
import { readIterationFolder } from '../run-folder/iteration-summary.ts';
import { guardRunWrite, recordWriteFailure, RunWriteError } from '../run-folder/run-write-error.ts';
import { deferredWrite } from '../fs/deferred-write.ts';

type EvolveSnapshot = SnapshotFrom<typeof evolveMachine>;

// How long a step between two stages of a running iteration waits before state.json is rewritten: the steps of
// stages shorter than this are written once (docs/crash-safety.md), and `loop status` is at most this late.
const STATE_STEP_DELAY_MS = 50;

export interface ControllerOptions {
  name: string;
  paths: RunPaths;
  recipe: Recipe;
  deps: Omit<StageRunnerDeps, 'run' | 'paths' | 'recipe'>;
  /** A snapshot to continue from (`loop resume`); absent: a new run. */
  snapshot?: unknown;
  createdAt?: string;
  /** With a snapshot: when the run was last persisted (paused or failed), so a resume keeps that pause off the wall-time budget. */
  haltedAt?: string;
  /** Who started this controller (`loop run by alice on host (pid 42)`), for the first event it logs. */
  startedBy?: string;
  /** With a snapshot: continue a paused or failed run at once (default true); false leaves it as it was. */
  autoResume?: boolean;
  onTransition?: (event: RunEvent, state: RunState) => void;
  /** Work around each stage (provenance before, publishing to the store after) and at the run's end (src/store). */
  hooks?: StageHooks;
}

export interface StageHooks {
  beforeStage?: (input: StageInput) => Promise<void>;
  /** After the stage succeeded; a failure fails the stage's step (the stage itself is not rerun on resume). */
  afterStage?: (input: StageInput) => Promise<void>;
  /** Once the run is succeeded, failed, paused or stopped, before `done` settles. */
  afterRun?: (state: RunState) => Promise<void>;
}

export interface Controller {
  /** Pause after the running stage; `by` names who asked, for the event log. */
  pause(by?: string): void;
  /** Stop the running stage now; it runs again from its start on resume. */
  pauseNow(by?: string): void;
  stop(by?: string): void;
  /** Settles when the run is succeeded, failed, paused or stopped; the state is persisted by then. */
  done: Promise<RunState>;
}

// Drives one run: the evolve machine with real stage actors, its snapshot persisted atomically as it moves (see
// persist) and each transition appended to events.jsonl.
export function startController(options: ControllerOptions): Controller {
  const { paths, recipe, name } = options;
  const runner: StageRunnerDeps = { ...options.deps, run: name, paths, recipe };
  // Stage promises still settling (a canceled stage is being killed): the run is not over until they are.
  const inflight = new Set<Promise<unknown>>();
  const stageActor = fromPromise<StageOutput, StageInput>(({ input, signal }) => {
    const hooks = options.hooks;
    const running = hooks
      ? (async () => {
          await hooks.beforeStage?.(input);
          const output = await runStage(runner, input, signal);
          await hooks.afterStage?.(input);
          return output;
        })()
      : runStage(runner, input, signal);
    const settled = running.catch(() => undefined).finally(() => inflight.delete(settled));
    inflight.add(settled);
    return running;
  });
  const machine = evolveMachine.provide({
    actors: Object.fromEntries([...EVOLVE_STAGES, ...RL_STAGES].map((s) => [s, stageActor])) as Record<LoopStage, typeof stageActor>,
  });
  const createdAt = options.createdAt ?? options.deps.now().toISOString();
  const actor = options.snapshot
    ? createActor(machine, { snapshot: options.snapshot as EvolveSnapshot, input: undefined as never })
    : createActor(machine, {
        input: {
          stages: recipe.stages.map((s) => s.name as LoopStage),
          until: recipe.until,
          plateauHigherIsBetter: plateauHigherIsBetter(recipe),
          startedAt: Date.parse(createdAt),
        },
      });
  const controllerInfo = { pid: process.pid, host: hostname(), startedAt: options.deps.now().toISOString() };
  let previous: string | null = null;
  let previousIteration = 0;
  let lastState: RunState | undefined;
  let requestedBy: string | undefined = options.startedBy;
  // The iteration the machine was in at the last persist: leaving it (or finishing the run in it) indexes it.
  let openIteration = actor.getSnapshot().context.iteration;
  // The index's running totals through the last indexed iteration: read once, then carried in memory.
  let totals: IndexTotals | undefined;

  // Set once `done` is being awaited: how a write that failed outside a transition (a deferred one) ends the run.
  let failRun: (error: unknown) => void = () => undefined;
  const writeState = (state: RunState, durable: boolean) => {
    stateWrite.cancel();
    guardRunWrite(paths.state, name, () => writeRunState(paths.state, state, { durable }));
  };
  const stateWrite = deferredWrite(STATE_STEP_DELAY_MS, (state: RunState) => {
    try {
      writeState(state, false);
    } catch (error) {
      failRun(error);
    }
  });

  const persist = (snapshot: EvolveSnapshot) => {
    const status = statusOf(snapshot);
    const state: RunState = {
      version: STATE_VERSION,
      name,
      createdAt,
      updatedAt: options.deps.now().toISOString(),
      status,
      iteration: snapshot.context.iteration,
      stage: status === 'succeeded' || status === 'stopped' ? null : snapshot.context.stage,
      stopReason: snapshot.context.stopReason,
      error: snapshot.context.error,
      controller: status === 'running' ? controllerInfo : null,
      snapshot: actor.getPersistedSnapshot(),
    };
    // Written and fsync'd at once when the status or the iteration changes. A step from one stage to the next within a
    // running iteration is written a moment later (atomically, not fsync'd), and only the last of the steps taken
    // meanwhile: the stage that just ended has its fsync'd record, which a resume from an older state.json reads
    // instead of rerunning the stage (and an unreadable state.json is rebuilt from the records).
    const durable = status !== 'running' || lastState?.status !== status || lastState.iteration !== state.iteration;
    if (durable) writeState(state, true);
    else stateWrite.later(state);
    lastState = state;
    if (state.iteration > openIteration || (status === 'succeeded' && openIteration === state.iteration)) {
      const summary = readIterationFolder(paths, openIteration);
      totals = nextTotals(totals ?? totalsBefore(paths, recipe, openIteration), summary, recipe);
      const through = totals;
      guardRunWrite(paths.index, name, () => appendIterationIndex(paths, summary, through));
      openIteration = status === 'succeeded' ? Infinity : state.iteration;
    }
    const where = stateName(snapshot);
    if (where !== previous) {
      // Leaving a stage: its exit code and attempt go into the history too.
      const left = previous && isLoopStage(previous) ? readStageRecord(paths.stageStatus(previousIteration, previous)) : undefined;
      const event: RunEvent = {
        at: state.updatedAt,
        from: previous,
        to: where,
        iteration: state.iteration,
        stage: state.stage,
        ...(status === 'failed' && state.error ? { detail: state.error.message } : {}),
        ...(status === 'succeeded' && state.stopReason ? { detail: state.stopReason } : {}),
        ...((previous === null || status === 'paused' || status === 'stopped') && requestedBy ? { by: requestedBy } : {}),
        ...(left
          ? { left: left.status, exitCode: left.exitCode, ...(left.signal ? { signal: left.signal } : {}), attempt: left.attempt }
          : {}),
      };
      if (previous === null) requestedBy = undefined;
      guardRunWrite(paths.events, name, () => appendEvent(paths.events, event));
      previous = where;
      previousIteration = state.iteration;
      options.onTransition?.(event, state);
    }
  };

  actor.start();
  // A restored paused or failed run continues at the stage it stopped at.
  const restored = actor.getSnapshot();
  const idle = restored.value === 'paused' || restored.value === 'failed';
  if (options.snapshot && idle && options.autoResume !== false) {
    const haltedMs = options.haltedAt ? Math.max(0, options.deps.now().getTime() - Date.parse(options.haltedAt)) : 0;
    actor.send({ type: 'RESUME', haltedMs: Number.isFinite(haltedMs) ? haltedMs : 0 });
  }

  const done = new Promise<RunState>((resolve, reject) => {
    // A run record that could not be written (a full disk): the stage is cancelled and, once it has settled, the run
    // is recorded failed if the disk allows; the error says which file and how much space is left.
    const abort = (error: unknown) => {
      stateWrite.cancel();
      actor.stop();
      if (!(error instanceof RunWriteError)) return reject(error);
      void Promise.allSettled([...inflight]).then(() => {
        recordWriteFailure(lastState, error, paths.state, options.deps.now());
        reject(error);
      });
    };
    failRun = abort;
    const settle = (snapshot: EvolveSnapshot): boolean => {
      persist(snapshot);
      if (!lastState || lastState.status === 'running') return false;
      const final = lastState;
      actor.stop();
      void Promise.allSettled([...inflight])
        .then(() => options.hooks?.afterRun?.(final))
        .then(() => resolve(final), reject);
      return true;
    };
    const subscription = actor.subscribe({
      next: (snapshot) => {
        try {
          if (settle(snapshot)) subscription.unsubscribe();
        } catch (error) {
          subscription.unsubscribe();
          abort(error);
        }
      },
      error: reject,
    });
    try {
      // A run left idle on purpose (autoResume false) is not over yet: the caller is about to send it an event.
      if (idle && options.autoResume === false) persist(actor.getSnapshot());
      else if (settle(actor.getSnapshot())) subscription.unsubscribe();
    } catch (error) {
      subscription.unsubscribe();
      abort(error);
    }
  });

  const ask = (type: 'PAUSE' | 'PAUSE_NOW' | 'STOP', by: string | undefined) => {
    requestedBy = by;
    actor.send({ type });
  };
  return {
    pause: (by) => ask('PAUSE', by),
    pauseNow: (by) => ask('PAUSE_NOW', by),
    stop: (by) => ask('STOP', by),
    done,
  };
}

// The run status a snapshot stands for.
export function statusOf(snapshot: { status: string; value: unknown }): RunStatus {
  if (snapshot.status === 'error') return 'failed';
  switch (snapshot.value) {
    case 'done':
      return 'succeeded';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return 'failed';
    case 'paused':
      return 'paused';
    default:
      return 'running';
  }
}

// A readable name for the active state: running.train_sft.run → "train_sft".
function stateName(snapshot: { value: unknown; context: EvolveContext }): string {
  const value = snapshot.value;
  if (typeof value === 'string') return value;
  const phases = value as { running?: unknown; rl?: unknown };
  const running = phases.running ?? phases.rl;
  if (typeof running === 'string') return running;
  if (running && typeof running === 'object') {
    const [stage, sub] = Object.entries(running)[0] as [string, string];
    return sub === 'run' ? stage : `${stage}.${sub}`;
  }
  return JSON.stringify(value);
}
