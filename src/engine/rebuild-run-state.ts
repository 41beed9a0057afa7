import { createActor } from 'xstate';
import { evolveMachine } from './machine/evolve.ts';
import type { EvolveContext } from './machine/evolve-types.ts';
import { EVOLVE_STAGES, INITIAL_STAGES, isRlStage, type EvolveStage, type LoopStage } from '../recipe/stage-names.ts';
import type { Recipe } from '../recipe/types.ts';
import { checkStopRule, historyEntry, historyWindow } from '../until/check-stop-rule.ts';
import { plateauHigherIsBetter } from '../recipe/plateau-direction.ts';
import { readIterations, readRlPhase } from '../metrics/read-run-report.ts';
import type { RunPaths } from '../run-folder/run-paths.ts';
import { STATE_VERSION, type RunState } from '../run-folder/run-state.ts';

// Rebuilds a run's state from its per-stage records when state.json is unreadable (a disk fault, a hand edit):
// every stage recorded as succeeded counts as done, and the run comes back paused at the first stage that is not.
export function rebuildRunState(paths: RunPaths, recipe: Recipe, name: string, createdAt: string): RunState {
  const stages = recipe.stages.map((s) => s.name as LoopStage);
  const loopStages = stages.filter((s): s is EvolveStage => !isRlStage(s));
  const iterations = readIterations(paths, { foldersOnly: true });
  const latest: Partial<Record<LoopStage, number>> = {};
  for (const it of iterations) {
    for (const [stage, summary] of Object.entries(it.stages)) if (summary.status === 'succeeded') latest[stage as EvolveStage] = it.index;
  }
  const last = iterations.at(-1);
  let iteration = last?.index ?? 0;
  const window = historyWindow(recipe.until);
  let history = iterations
    .filter((it) => it.index < iteration)
    .slice(-window)
    .map((it) => historyEntry(recipe.until, it.metrics));
  let current = last?.metrics ?? {};
  const higherIsBetter = plateauHigherIsBetter(recipe);
  const startedAt = Date.parse(createdAt);
  const lastEndedAt = Math.max(
    startedAt,
    ...iterations.flatMap((it) => Object.values(it.stages).map((s) => Date.parse(s.endedAt ?? '') || 0)),
  );
  const due = (it: number) =>
    loopStages.filter((s) => it > 0 || INITIAL_STAGES.includes(s)).sort((a, b) => EVOLVE_STAGES.indexOf(a) - EVOLVE_STAGES.indexOf(b));
  let stage: LoopStage | undefined = due(iteration).find((s) => last?.stages[s]?.status !== 'succeeded');
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
  // A loop that stopped goes on to its RL phase, if the recipe has one: paused at its first stage not yet succeeded.
  const rlPhase = readRlPhase(paths);
  const rlStage = stopReason ? stages.filter(isRlStage).find((s) => rlPhase?.stages[s]?.status !== 'succeeded') : undefined;
  if (stopReason) for (const s of stages.filter(isRlStage)) if (rlPhase?.stages[s]?.status === 'succeeded') latest[s] = iteration;
  const finished = stopReason !== null && rlStage === undefined;
  if (rlStage) stage = rlStage;
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
    ...(rlPhase ? { rl: rlPhase.metrics } : {}),
  };
  const resolved = evolveMachine.resolveState({ value: finished ? 'done' : 'paused', context });
  const snapshot = createActor(evolveMachine, { snapshot: resolved, input: undefined as never }).getPersistedSnapshot();
  return {
    version: STATE_VERSION,
    name,
    createdAt,
    updatedAt: new Date().toISOString(),
    status: finished ? 'succeeded' : 'paused',
    iteration,
    stage: finished ? null : context.stage,
    stopReason,
    error: null,
    controller: null,
    snapshot,
  };
}
