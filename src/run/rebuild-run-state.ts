import { createActor } from 'xstate';
import { evolveMachine } from '../../loops/evolve.ts';
import type { EvolveContext } from '../../loops/evolve-types.ts';
import { EVOLVE_STAGES, INITIAL_STAGES, type EvolveStage } from '../recipe/stage-names.ts';
import type { Recipe } from '../recipe/types.ts';
import { checkStopRule, historyEntry, historyWindow } from '../until/check-stop-rule.ts';
import { plateauHigherIsBetter } from '../recipe/plateau-direction.ts';
import { readIterations } from './read-run-report.ts';
import type { RunPaths } from './run-paths.ts';
import { STATE_VERSION, type RunState } from './run-state.ts';

// Rebuilds a run's state from its per-stage records when state.json is unreadable (a disk fault, a hand edit):
// every stage recorded as succeeded counts as done, and the run comes back paused at the first stage that is not.
export function rebuildRunState(paths: RunPaths, recipe: Recipe, name: string, createdAt: string): RunState {
  const stages = recipe.stages.map((s) => s.name as EvolveStage);
  const iterations = readIterations(paths, { foldersOnly: true });
  const latest: Partial<Record<EvolveStage, number>> = {};
  for (const it of iterations) {
    for (const [stage, summary] of Object.entries(it.stages)) if (summary.status === 'succeeded') latest[stage as EvolveStage] = it.index;
  }
  const last = iterations.at(-1);
  let iteration = last?.index ?? 0;
  const window = historyWindow(recipe.until);
  let history = iterations.filter((it) => it.index < iteration).slice(-window).map((it) => historyEntry(recipe.until, it.metrics));
  let current = last?.metrics ?? {};
  const higherIsBetter = plateauHigherIsBetter(recipe);
  const startedAt = Date.parse(createdAt);
  const lastEndedAt = Math.max(startedAt, ...iterations.flatMap((it) => Object.values(it.stages).map((s) => Date.parse(s.endedAt ?? '') || 0)));
  const due = (it: number) =>
    stages.filter((s) => it > 0 || INITIAL_STAGES.includes(s)).sort((a, b) => EVOLVE_STAGES.indexOf(a) - EVOLVE_STAGES.indexOf(b));
  let stage = due(iteration).find((s) => last?.stages[s]?.status !== 'succeeded');
  let stopReason: string | null = null;
  if (stage === undefined) {
    const verdict = checkStopRule(recipe.until, {
      iteration,
      history: [...history, current],
      elapsedSeconds: (lastEndedAt - startedAt) / 1000,
      higherIsBetter,
    });
    if (verdict.stop) stopReason = verdict.reason;
    else {
      history = [...history, historyEntry(recipe.until, current)].slice(-window);
      current = {};
      iteration += 1;
      stage = due(iteration)[0];
    }
  }
  const context: EvolveContext = {
    stages,
    until: recipe.until,
    plateauHigherIsBetter: higherIsBetter,
    startedAt,
    iteration,
    stage: stage ?? 'eval',
    latest,
    current,
    history,
    lastEndedAt,
    pauseRequested: false,
    stopReason,
    error: null,
  };
  const resolved = evolveMachine.resolveState({ value: stopReason ? 'done' : 'paused', context });
  const snapshot = createActor(evolveMachine, { snapshot: resolved, input: undefined as never }).getPersistedSnapshot();
  return {
    version: STATE_VERSION,
    name,
    createdAt,
    updatedAt: new Date().toISOString(),
    status: stopReason ? 'succeeded' : 'paused',
    iteration,
    stage: stopReason ? null : context.stage,
    stopReason,
    error: null,
    controller: null,
    snapshot,
  };
}
