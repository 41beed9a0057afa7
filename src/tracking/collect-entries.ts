import type { Recipe } from '../recipe/types.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import type { RunState } from '../run-folder/run-state.ts';
import { readIterations, readRecentIterations, readRlPhase } from '../metrics/read-run-report.ts';
import type { IterationSummary } from '../run-folder/iteration-summary.ts';
import { withCostMetrics } from '../metrics/cost-metrics.ts';
import { readProvenance } from '../provenance/read-provenance.ts';
import { readArtifacts } from '../store/artifacts-journal.ts';
import { logTail } from '../fs/log-tail.ts';
import type { OutboxEntry, Sink } from './outbox.ts';
import { notifyWanted } from './notify/notify-events.ts';
import { loadMlflowRecord } from './mlflow/ensure-mlflow-run.ts';
import { trackingPaths } from './tracking-paths.ts';
import { readStageRecord } from '../run-folder/stage-record.ts';

// What the run folder and the run's state say should be sent, as outbox entries with ids derived from the facts
// (an iteration's number, the moment a state was written): computing it again after a crash gives the same ids,
// so enqueue() adds only what is missing and nothing is queued twice.
// `after`: the last iteration whose entries were queued already (by this controller, so they are in the outbox):
// only later ones are read, from the end of the iteration index, and a sync costs the same at iteration 1,000 as
// at iteration 1. Without it (a controller's first sync, after a crash too) every finished iteration is read.
export function collectEntries(paths: RunPaths, recipe: Recipe, state: RunState, at: string, after?: number): OutboxEntry[] {
  const sinks: Sink[] = [];
  if (recipe.tracking?.mlflow) sinks.push('mlflow');
  if (recipe.tracking?.tensorboard) sinks.push('tensorboard');
  const entries: OutboxEntry[] = [];
  const add = (sink: Sink, kind: string, key: string, data: Record<string, unknown>) =>
    entries.push({ id: `${sink}:${kind}:${key}`, sink, kind, at, data });

  const first = readProvenance(paths, 0);
  if (sinks.includes('mlflow') && first) add('mlflow', 'params', 'run', { params: runParams(recipe, first) });
  const finished = finishedIterations(paths, recipe, state, after);
  let previous: Record<string, number> | undefined;
  for (const it of finished) {
    if (after !== undefined && it.index <= after) {
      previous = it.metrics; // queued already: only the base of the next one's deltas
      continue;
    }
    const tags: Record<string, string> = {};
    const commits = readArtifacts(paths, it.index)?.finished?.commits;
    if (commits && Object.keys(commits).length > 0) tags[`loop.store.iter-${it.index}`] = JSON.stringify(commits);
    const git = readProvenance(paths, it.index)?.git;
    if (git) tags[`loop.git.iter-${it.index}`] = `${git.commit}${git.dirty ? '+dirty' : ''}`;
    if (sinks.includes('mlflow')) add('mlflow', 'iteration', String(it.index), { iteration: it.index, metrics: it.metrics, tags });
    if (sinks.includes('tensorboard')) add('tensorboard', 'iteration', String(it.index), { iteration: it.index, metrics: it.metrics });
    if (notifyWanted(recipe, 'iteration_finished')) {
      const deltas = previous ? metricDeltas(previous, it.metrics) : {};
      add('notify', 'iteration_finished', String(it.index), {
        event: 'iteration_finished',
        iteration: it.index,
        metrics: it.metrics,
        deltas,
      });
    }
    previous = it.metrics;
  }
  // The RL phase, once the run succeeded (it ran after the last iteration): its metrics (rl_eval.accuracy, …) at the
  // last iteration's step, beside that iteration's own.
  const rl = state.status === 'succeeded' ? readRlPhase(paths) : null;
  if (rl && Object.keys(rl.metrics).length > 0) {
    const point = { iteration: state.iteration, metrics: rl.metrics };
    if (sinks.includes('mlflow')) add('mlflow', 'iteration', 'rl', { ...point, tags: {} });
    if (sinks.includes('tensorboard')) add('tensorboard', 'iteration', 'rl', point);
  }
  if (sinks.includes('mlflow')) entries.push(...childRunEnds(paths, recipe, at));
  if (sinks.includes('mlflow') && state.status !== 'running') {
    add('mlflow', 'status', state.updatedAt, {
      status: mlflowStatus(state.status),
      stopReason: state.stopReason,
      endTime: state.updatedAt,
    });
  }
  for (const [event, data] of stateEvents(paths, recipe, state)) {
    if (notifyWanted(recipe, event)) add('notify', event, state.updatedAt, { event, ...data });
  }
  return entries;
}

// Each stage child run (tracking.mlflow.stage_runs) whose stage is over is ended with the stage's outcome.
function childRunEnds(paths: RunPaths, recipe: Recipe, at: string): OutboxEntry[] {
  const children = loadMlflowRecord(trackingPaths(paths, recipe).mlflow)?.children ?? {};
  const out: OutboxEntry[] = [];
  for (const [slot, runId] of Object.entries(children)) {
    const [iteration, stage] = slot.split('/') as [string, string];
    const record = readStageRecord(paths.stageStatus(Number(iteration), stage));
    if (!record || record.status === 'running') continue;
    const status = record.status === 'succeeded' ? 'FINISHED' : record.status === 'failed' ? 'FAILED' : 'KILLED';
    out.push({
      id: `mlflow:stage-run:${slot}:${record.endedAt ?? record.status}`,
      sink: 'mlflow',
      kind: 'stage-run',
      at,
      data: { runId, status, endTime: record.endedAt ?? at },
    });
  }
  return out;
}

// The run's params: its vars, seed, recipe hash and Git commit (of iteration 0; later ones are tags per iteration).
function runParams(recipe: Recipe, provenance: NonNullable<ReturnType<typeof readProvenance>>): Record<string, string> {
  return {
    seed: String(recipe.seed),
    recipe_sha256: provenance.recipeSha256,
    ...(provenance.git ? { git_commit: provenance.git.commit } : {}),
    ...Object.fromEntries(Object.entries(recipe.vars).map(([k, v]) => [`vars.${k}`, String(v)])),
  };
}

// The last iteration that is over: every iteration before the current one, and the current one once the run succeeded.
export function lastFinishedIteration(state: RunState): number {
  return state.status === 'succeeded' ? state.iteration : state.iteration - 1;
}

// The iterations that are over, with the metrics `loop status --json` shows (cost metrics included): all of them, or
// from `after` on (`after` itself for the deltas of the next) when the index's tail can say.
function finishedIterations(paths: RunPaths, recipe: Recipe, state: RunState, after: number | undefined): IterationSummary[] {
  const last = lastFinishedIteration(state);
  if (after !== undefined && last <= after) return [];
  const recent = after !== undefined && after >= 0 ? readRecentIterations(paths, recipe, last, last - after + 1) : null;
  return recent?.iterations ?? withCostMetrics(readIterations(paths), recipe).filter((it) => it.index <= last);
}

function metricDeltas(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) if (before[key] !== undefined) out[key] = value - before[key]!;
  return out;
}

// The notification events a persisted state stands for.
function stateEvents(
  paths: RunPaths,
  recipe: Recipe,
  state: RunState,
): Array<[Parameters<typeof notifyWanted>[1], Record<string, unknown>]> {
  const base = { run: state.name, iteration: state.iteration };
  switch (state.status) {
    case 'paused':
      return [['paused', { ...base, stage: state.stage }]];
    case 'failed': {
      const error = state.error;
      const tail = error?.stage ? logTail(paths.stageLog(error.iteration, error.stage), 20) : [];
      return [['stage_failed', { ...base, stage: error?.stage ?? null, message: error?.message ?? 'failed', logTail: tail }]];
    }
    case 'succeeded':
    case 'stopped': {
      // A run that succeeded after an RL phase says how its policy did (rl_eval.accuracy, …).
      const rl = state.status === 'succeeded' ? readRlPhase(paths)?.metrics : undefined;
      const events: Array<[Parameters<typeof notifyWanted>[1], Record<string, unknown>]> = [
        ['run_finished', { ...base, status: state.status, stopReason: state.stopReason, ...(rl ? { rl } : {}) }],
      ];
      if (state.status === 'succeeded' && targetReached(recipe, state.stopReason)) {
        events.unshift(['target_reached', { ...base, condition: recipe.until.metric, stopReason: state.stopReason }]);
      }
      return events;
    }
    default:
      return [];
  }
}

// Whether the run stopped because `until.metric` held (src/until/check-stop-rule.ts words that reason so).
function targetReached(recipe: Recipe, reason: string | null): boolean {
  const condition = recipe.until.metric?.trim().replace(/\s+/g, ' ');
  return condition !== undefined && reason?.startsWith(`${condition} held at iteration`) === true;
}

// MLflow's RunStatus for a run's status.
function mlflowStatus(status: RunState['status']): string {
  return status === 'succeeded' ? 'FINISHED' : status === 'failed' ? 'FAILED' : status === 'stopped' ? 'KILLED' : 'RUNNING';
}
