import { existsSync, readdirSync } from 'node:fs';
import { readRunRecipe } from './read-run-recipe.ts';
import { RunNotFoundError } from '../errors/loop-error.ts';
import { runPaths, runsDir, type RunPaths } from './run-paths.ts';
import { readRunState, type RunState, type RunStatus } from './run-state.ts';
import { readIterationFolder, type IterationSummary } from './iteration-summary.ts';
import { readIterationIndex } from './iteration-index.ts';
import { controllerAlive } from './process-alive.ts';

export type { IterationSummary, StageSummary } from './iteration-summary.ts';

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
    iterations: readIterations(paths),
  };
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

// The names of all runs under a home, in no particular order (`loop ls` sorts them).
export function listRunNames(home: string): string[] {
  const dir = runsDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(runPaths(home, name).state));
}
