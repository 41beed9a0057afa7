import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { evolveMachine } from '../../src/engine/machine/evolve.ts';
import { loadRecipeSource } from '../../src/recipe/load-recipe.ts';
import { rebuildRunState } from '../../src/engine/rebuild-run-state.ts';
import { runPaths } from '../../src/run-folder/run-paths.ts';
import { writeStageRecord, type StageRecord } from '../../src/run-folder/stage-record.ts';
import { MINIMAL_RECIPE } from '../helpers/minimal-recipe.ts';

// Rebuilding a lost state.json of a run that has an RL phase: the phase's own records (rl/STAGE/status.json) decide
// whether the run is done or paused at its first unfinished RL stage.
const RL = `rl:
  stages:
    rl_sample: { command: [s], outputs: { samples: s.jsonl } }
    rl_filter: { command: [f], outputs: { queries: q.jsonl } }
    rl_train: { command: [t], outputs: { model: m } }
    rl_eval: { command: [e] }
`;
const recipe = loadRecipeSource(MINIMAL_RECIPE.replace('max_iterations: 3', 'max_iterations: 1') + RL, 'r.yaml', '/tmp/r.yaml');
const home = mkdtempSync(path.join(tmpdir(), 'loop-rebuild-rl-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function succeed(paths: ReturnType<typeof runPaths>, iteration: number, stage: string, metrics: Record<string, number> = {}) {
  const at = '2026-11-24T10:00:00.000Z';
  const record: StageRecord = {
    stage,
    iteration,
    status: 'succeeded',
    attempt: 1,
    command: [stage],
    executor: 'local',
    startedAt: at,
    endedAt: at,
    exitCode: 0,
    signal: null,
    durationMs: 1,
    metrics,
    outputs: {},
    attempts: [],
  };
  mkdirSync(paths.stage(iteration, stage), { recursive: true });
  writeStageRecord(paths.stageStatus(iteration, stage), record);
}

describe('rebuildRunState with an RL phase', () => {
  const paths = runPaths(home, 'r');
  succeed(paths, 0, 'train_sft');
  succeed(paths, 0, 'eval', { accuracy: 0.5 });
  for (const stage of ['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft']) succeed(paths, 1, stage);
  succeed(paths, 1, 'eval', { accuracy: 0.7 });

  it('after the loop stopped, comes back paused at the first RL stage not yet succeeded, with the RL metrics so far', () => {
    succeed(paths, 1, 'rl_sample', { responses: 8 });
    const state = rebuildRunState(paths, recipe, 'r', '2026-11-24T09:00:00.000Z');
    expect(state).toMatchObject({ status: 'paused', iteration: 1, stage: 'rl_filter', stopReason: 'reached max_iterations 1' });
    const actor = createActor(evolveMachine, { snapshot: state.snapshot as never, input: undefined as never });
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('paused');
    expect(snapshot.context.rl).toEqual({ 'rl_sample.responses': 8 });
    expect(snapshot.context.latest).toMatchObject({ train_sft: 1, train_rm: 1, rl_sample: 1 });
  });

  it('is succeeded once every RL stage succeeded', () => {
    for (const stage of ['rl_filter', 'rl_train']) succeed(paths, 1, stage);
    succeed(paths, 1, 'rl_eval', { accuracy: 0.9 });
    const state = rebuildRunState(paths, recipe, 'r', '2026-11-24T09:00:00.000Z');
    expect(state).toMatchObject({ status: 'succeeded', stage: null });
  });
});
