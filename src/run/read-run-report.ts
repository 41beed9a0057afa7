import { existsSync, readdirSync } from 'node:fs';
import { readRunRecipe } from './read-run-recipe.ts';
import { EVOLVE_STAGES } from '../recipe/stage-names.ts';
import { RunNotFoundError } from '../errors/loop-error.ts';
import { runPaths, runsDir, type RunPaths } from './run-paths.ts';
import { readRunState, type RunState, type RunStatus } from './run-state.ts';
import { readStageRecord, type StageStatus } from './stage-record.ts';
import { controllerAlive } from './process-alive.ts';
import { withCostMetrics } from '../metrics/cost-metrics.ts';

export interface StageSummary {
  status: StageStatus;
  startedAt: string;
  endedAt: string | null;
  exitCode: number | null;
  attempt: number;
  durationMs: number | null;
  /** Wall time of all the record's attempts together, once the stage ended; null while it runs. */
  wallMs: number | null;
}

export interface IterationSummary {
  index: number;
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
  };
}

// Every iteration folder, in order, with its stages' records and their metrics as STAGE.METRIC.
export function readIterations(paths: RunPaths): IterationSummary[] {
  if (!existsSync(paths.iterations)) return [];
  const indices = readdirSync(paths.iterations)
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .sort((a, b) => a - b);
  return indices.map((index) => {
    const metrics: Record<string, number> = {};
    const stages: Record<string, StageSummary> = {};
    for (const stage of EVOLVE_STAGES) {
      const record = readStageRecord(paths.stageStatus(index, stage));
      if (!record) continue;
      stages[stage] = {
        status: record.status,
        startedAt: record.startedAt,
        endedAt: record.endedAt ?? null,
        exitCode: record.exitCode,
        attempt: record.attempt,
        durationMs: record.durationMs ?? null,
        wallMs: record.status === 'running' ? null : record.attempts.reduce((sum, a) => sum + (a.durationMs ?? 0), 0),
      };
      if (record.status === 'succeeded') {
        for (const [key, value] of Object.entries(record.metrics)) metrics[`${stage}.${key}`] = value;
      }
    }
    return { index, metrics, stages };
  });
}

// The names of all runs under a home, in no particular order (`loop ls` sorts them).
export function listRunNames(home: string): string[] {
  const dir = runsDir(home);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(runPaths(home, name).state));
}
