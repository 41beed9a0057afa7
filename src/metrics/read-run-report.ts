import { existsSync, readdirSync } from 'node:fs';
import { readRunRecipe } from '../run-folder/read-run-recipe.ts';
import { RL_STAGES } from '../recipe/stage-names.ts';
import { RunNotFoundError } from '../errors/loop-error.ts';
import { RUN_NAME } from '../recipe/names.ts';
import { MAX_NAME_LENGTH } from '../recipe/check-name.ts';
import { runPaths, runsDir, type RunPaths } from '../run-folder/run-paths.ts';
import { readRunState, type RunState, type RunStatus } from '../run-folder/run-state.ts';
import { readIterationFolder, readStageSummaries, type IterationSummary, type StageSummary } from '../run-folder/iteration-summary.ts';
import { readIterationIndex } from '../run-folder/iteration-index.ts';
import { controllerAlive } from '../process/process-alive.ts';
import { readProvenance } from '../provenance/read-provenance.ts';
import type { Provenance } from '../provenance/collect-provenance.ts';

import { withCostMetrics } from './cost-metrics.ts';

export type { IterationSummary, StageSummary } from '../run-folder/iteration-summary.ts';

// The RL phase: its stages' records and their metrics as STAGE.METRIC (rl_eval.accuracy).
export interface RlSummary {
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
  iterations: IterationSummary[];
  /** The RL phase, once one of its stages has started; null before that and for recipes without one. */
  rl: RlSummary | null;
  /** The provenance of the latest iteration that has one (iterations/N/provenance.json), else null. */
  provenance: Provenance | null;
}

// Reads a run's state and its iteration folders into one report.
export function readRunReport(home: string, name: string): RunReport {
  const paths = runPaths(home, name);
  if (!existsSync(paths.state)) throw new RunNotFoundError(name, home);
  const state = readRunState(paths.state);
  const recipe = readRunRecipe(paths);
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
    iterations: withCostMetrics(readIterations(paths), recipe),
    rl: readRlPhase(paths),
    provenance: latestProvenance(paths, state.iteration),
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

// The RL phase's stage records (rl/STAGE/status.json), or null when none has started.
export function readRlPhase(paths: RunPaths): RlSummary | null {
  const phase = readStageSummaries(paths, 0, RL_STAGES);
  return Object.keys(phase.stages).length > 0 ? phase : null;
}

// The names of all runs under a home, in no particular order (`loop ls` sorts them).
export function listRunNames(home: string): string[] {
  const dir = runsDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => RUN_NAME.test(name) && name.length <= MAX_NAME_LENGTH && existsSync(runPaths(home, name).state));
}
