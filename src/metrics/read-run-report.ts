import { existsSync, readdirSync } from 'node:fs';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { RL_STAGES } from '../recipe/stage-names.ts';
import { RunNotFoundError } from '../errors/loop-error.ts';
import { RUN_NAME } from '../recipe/names.ts';
import { MAX_NAME_LENGTH } from '../recipe/check-name.ts';
import { runPaths, runsDir, type RunPaths } from '../run-folder/run-paths.ts';
import { readRunState, type RunState, type RunStatus } from '../run-folder/run-state.ts';
import { readIterationFolder, readStageSummaries, type IterationSummary, type StageSummary } from '../run-folder/iteration-summary.ts';
import { readIterationIndex, type IndexTotals } from '../run-folder/iteration-index.ts';
import { readIndexTail } from '../run-folder/index-tail.ts';
import { rlPhaseIteration } from '../run-folder/stage-record.ts';
import type { Recipe } from '../recipe/types.ts';
import { nextTotals, noTotals, totalsFit, totalsOf } from './index-totals.ts';
import { controllerAlive } from '../process/process-alive.ts';
import { readProvenance } from '../provenance/read-provenance.ts';
import type { Provenance } from '../provenance/collect-provenance.ts';

import { withCostMetrics } from './cost-metrics.ts';
import { readTrackingStatus, type TrackingStatus } from '../tracking/tracking-status.ts';

// How many of the last iterations `loop status`, `loop diff RUN` and `loop ls` read (--all reads every one).
export const RECENT_ITERATIONS = 20;

export type { IterationSummary, StageSummary } from '../run-folder/iteration-summary.ts';

// The RL phase: its stages' records and their metrics as STAGE.METRIC (rl_eval.accuracy).
export interface RlSummary {
  /** The iteration the phase ran after: the loop's last, whose SFT model and RM it started from. */
  after: number;
  metrics: Record<string, number>;
  stages: Record<string, StageSummary>;
}

// What `loop status --json` prints (docs/reference/cli/status.md documents each field).
export interface RunReport {
  name: string;
  status: RunStatus;
  iteration: number;
  stage: string | null;
  stopReason: string | null;
  error: RunState['error'];
  mainMetric: string;
  createdAt: string;
  updatedAt: string;
  /** False when the status says running but no controller process is alive (it crashed or was killed). */
  controllerAlive: boolean | null;
  runDir: string;
  /** The iterations listed, oldest first: every one, or with `recent` the last that many. */
  iterations: IterationSummary[];
  /** How many iterations before the first listed were left out (0 when all are listed). */
  earlierIterations: number;
  /** The RL phase, once one of its stages has started; null before that and for recipes without one. */
  rl: RlSummary | null;
  /** The provenance of the latest iteration that has one (iterations/N/provenance.json), else null. */
  provenance: Provenance | null;
  /** Experiment tracking and notifications (docs/tracking.md): what waits in the outbox; null when the recipe has neither. */
  tracking: TrackingStatus | null;
}

// Reads a run's state and its iterations into one report: every iteration, or with `recent` only the last that many,
// read from the index's last lines at a cost that does not grow with the run (readRecentIterations).
export function readRunReport(home: string, name: string, options: { recent?: number } = {}): RunReport {
  const paths = runPaths(home, name);
  if (!existsSync(paths.state)) throw new RunNotFoundError(name, home);
  const state = readRunState(paths.state);
  const recipe = readRunRecipe(paths);
  const recent = options.recent === undefined ? null : readRecentIterations(paths, recipe, lastIteration(paths, state), options.recent);
  const listed = recent ?? lastOf(withCostMetrics(readIterations(paths), recipe), options.recent);
  return {
    name: state.name,
    status: state.status,
    iteration: state.iteration,
    stage: state.stage,
    stopReason: state.stopReason,
    error: state.error,
    mainMetric: recipe.mainMetric,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    controllerAlive: state.status === 'running' ? (controllerAlive(state.controller) ?? null) : null,
    runDir: paths.root,
    iterations: listed.iterations,
    earlierIterations: listed.earlier,
    rl: readRlPhase(paths),
    provenance: latestProvenance(paths, state.iteration),
    tracking: readTrackingStatus(paths, recipe),
  };
}

// The newest iteration's provenance, looking back from the current one (its file is written when it starts).
function latestProvenance(paths: RunPaths, iteration: number): Provenance | null {
  for (let i = iteration; i >= 0; i--) {
    const p = readProvenance(paths, i);
    if (p) return p;
  }
  return null;
}

// Every iteration, in order, with its stages' outcomes and their metrics as STAGE.METRIC: finished iterations from
// the index (iterations.jsonl), the rest (the one in progress, any the index lacks) from their folders.
// `foldersOnly` skips the index: a rebuild after a damaged state trusts only the stage records.
export function readIterations(paths: RunPaths, options: { foldersOnly?: boolean } = {}): IterationSummary[] {
  if (!existsSync(paths.iterations)) return [];
  const indexed = options.foldersOnly ? new Map<number, IterationSummary>() : readIterationIndex(paths);
  return readdirSync(paths.iterations)
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .sort((a, b) => a - b)
    .map((index) => indexed.get(index) ?? readIterationFolder(paths, index));
}

export interface RecentIterations {
  /** With cost metrics, oldest first. */
  iterations: IterationSummary[];
  /** Iterations before the first one listed. */
  earlier: number;
  /** The totals through the last iteration listed; null where the index predates them. */
  totals: IndexTotals | null;
}

// The last `count` iterations through `last`: from the index's last lines (readIndexTail), the iteration in progress
// and any the index lacks from their folders, `gpu_hours.cumulative` carried on from the totals on the line before the first. Null
// where those totals are missing (an index written by an older `loop`): the caller then reads every iteration.
export function readRecentIterations(paths: RunPaths, recipe: Recipe, last: number, count: number): RecentIterations | null {
  if (!existsSync(paths.iterations)) return { iterations: [], earlier: 0, totals: null };
  const from = Math.max(0, last - count + 1);
  const tail = readIndexTail(paths, from);
  const before = from === 0 ? noTotals(recipe) : tail.get(from - 1)?.totals;
  if (!before || !totalsFit(before, recipe)) return null;
  const listed: IterationSummary[] = [];
  for (let index = from; index <= last; index++) {
    const entry = tail.get(index);
    if (entry) listed.push({ index, metrics: entry.metrics, stages: entry.stages });
    else if (existsSync(paths.iteration(index))) listed.push(readIterationFolder(paths, index));
  }
  const totals = listed.reduce((t, it) => nextTotals(t, it, recipe), before);
  return { iterations: withCostMetrics(listed, recipe, before.gpuHours), earlier: from, totals };
}

// Every iteration, or the last `recent` of them (an index without totals, from an older `loop`, is read whole).
function lastOf(all: IterationSummary[], recent: number | undefined): { iterations: IterationSummary[]; earlier: number } {
  const earlier = recent === undefined ? 0 : Math.max(0, all.length - recent);
  return { iterations: all.slice(earlier), earlier };
}

// The run's last iteration folder: the state's iteration, or the next one when its folder exists already.
function lastIteration(paths: RunPaths, state: RunState): number {
  return existsSync(paths.iteration(state.iteration + 1)) ? state.iteration + 1 : state.iteration;
}

// The totals through iteration `index - 1`, for the controller's next index line: from that iteration's line when
// it has them, else (an index from an older `loop`, a line lost in a crash, a recipe edit) from every iteration
// before `index`, once.
export function totalsBefore(paths: RunPaths, recipe: Recipe, index: number): IndexTotals {
  if (index === 0) return noTotals(recipe);
  const totals = readIndexTail(paths, index).get(index - 1)?.totals;
  if (totals && totalsFit(totals, recipe)) return totals;
  return totalsOf(
    readIterations(paths).filter((it) => it.index < index),
    recipe,
  );
}

// The RL phase's stage records (rl/STAGE/status.json), or null when none has started.
export function readRlPhase(paths: RunPaths): RlSummary | null {
  const after = rlPhaseIteration(paths);
  return after === undefined ? null : { after, ...readStageSummaries(paths, 0, RL_STAGES) };
}

// The names of all runs under a home, in no particular order (`loop ls` sorts them).
export function listRunNames(home: string): string[] {
  const dir = runsDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => RUN_NAME.test(name) && name.length <= MAX_NAME_LENGTH && existsSync(runPaths(home, name).state));
}
