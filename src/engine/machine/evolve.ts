import { and, assign, fromPromise, setup, type ErrorActorEvent, type DoneActorEvent } from 'xstate';
import { EVOLVE_STAGES, INITIAL_STAGES, RL_STAGES, isRlStage, type LoopStage } from '../../recipe/stage-names.ts';
import { isErrorCode, type ErrorCode } from '../../errors/loop-error.ts';
import { checkStopRule, historyEntry, historyWindow } from '../../until/check-stop-rule.ts';
import type { EvolveContext, EvolveEvent, EvolveInput, StageInput, StageOutput } from './evolve-types.ts';

// The evolve loop (docs/design.md draws it): iteration 0 trains the initial SFT model and evaluates it; every later
// iteration samples for the RM, grades, trains the RM, samples SFT queries, scores, selects, trains SFT, evaluates,
// and then decides whether to stop. When the recipe has an RL phase, the stop leads to it (sample, grade, filter,
// GRPO, evaluate, once, with the last iteration's SFT model and RM) instead of straight to done. The machine does no I/O: each stage is an
// invoked actor named after the stage,
// which the controller provides (and tests replace with `.provide()`).

// The default stage actor: a machine used without `.provide()` fails loudly instead of doing nothing.
const unprovided = fromPromise<StageOutput, StageInput>(async ({ input }) => {
  throw new Error(`no implementation provided for stage ${input.stage}`);
});

const ALL_STAGES: readonly LoopStage[] = [...EVOLVE_STAGES, ...RL_STAGES];
const stageActors = Object.fromEntries(ALL_STAGES.map((s) => [s, unprovided])) as Record<LoopStage, typeof unprovided>;

// The state path of a stage: running.STAGE for the loop's stages, rl.STAGE for the RL phase's.
function statePath(stage: LoopStage): string {
  return isRlStage(stage) ? `#evolve.rl.${stage}` : `#evolve.running.${stage}`;
}

// The state after a stage: the next stage in its phase, else the loop's decision or the end of the RL phase.
function nextOf(stage: LoopStage): string {
  const order: readonly LoopStage[] = isRlStage(stage) ? RL_STAGES : EVOLVE_STAGES;
  const i = order.indexOf(stage);
  if (i + 1 < order.length) return statePath(order[i + 1]!);
  return isRlStage(stage) ? '#evolve.done' : '#evolve.running.decide';
}

// Whether a stage is left out: not in the recipe, or a loop stage that is not an iteration-0 stage in iteration 0.
function skips(context: EvolveContext, stage: LoopStage): boolean {
  if (!context.stages.includes(stage)) return true;
  return !isRlStage(stage) && context.iteration === 0 && !INITIAL_STAGES.includes(stage);
}

// Whether the recipe has an RL phase to run once the loop stops.
function hasRl(context: EvolveContext): boolean {
  return context.stages.some((s) => isRlStage(s));
}

function decision(context: EvolveContext) {
  return checkStopRule(context.until, {
    iteration: context.iteration,
    history: [...context.history, context.current],
    // Wall time of work: the time the run stood paused or failed is not spent on the budget.
    elapsedSeconds: Math.max(0, (context.lastEndedAt - context.startedAt - (context.haltedMs ?? 0)) / 1000),
    higherIsBetter: context.plateauHigherIsBetter ?? true,
  });
}

const machineSetup = setup({
  types: {
    context: {} as EvolveContext,
    events: {} as EvolveEvent,
    input: {} as EvolveInput,
  },
  actors: stageActors,
  guards: {
    pauseRequested: ({ context }) => context.pauseRequested,
    shouldStop: ({ context }) => decision(context).stop,
    hasRl: ({ context }) => hasRl(context),
  },
  actions: {
    finishStage: assign(({ context, event }) => {
      const output = (event as unknown as DoneActorEvent<StageOutput>).output;
      const stage = context.stage;
      const prefixed = Object.fromEntries(Object.entries(output.metrics).map(([k, v]) => [`${stage}.${k}`, v]));
      return {
        latest: { ...context.latest, [stage]: context.iteration },
        ...(isRlStage(stage) ? { rl: { ...context.rl, ...prefixed } } : { current: { ...context.current, ...prefixed } }),
        lastEndedAt: output.endedAt,
        error: null,
      };
    }),
    recordError: assign(({ context, event }) => {
      const error = (event as unknown as ErrorActorEvent).error;
      const message = error instanceof Error ? error.message : String(error);
      // The code decides the exit code (a store failure is not a stage failure); anything thrown without one of
      // loop's codes failed the stage's step, which `loop resume` runs again.
      const code = isErrorCode((error as { code?: unknown } | null)?.code) ? (error as { code: ErrorCode }).code : 'E_STAGE_FAILED';
      return { error: { stage: context.stage, iteration: context.iteration, message, code } };
    }),
    recordStop: assign(({ context }) => {
      const verdict = decision(context);
      return {
        stopReason: verdict.stop ? verdict.reason : null,
        history: [...context.history, historyEntry(context.until, context.current)].slice(-historyWindow(context.until)),
      };
    }),
    nextIteration: assign(({ context }) => ({
      iteration: context.iteration + 1,
      history: [...context.history, historyEntry(context.until, context.current)].slice(-historyWindow(context.until)),
      current: {},
    })),
    requestPause: assign({ pauseRequested: true }),
    clearPause: assign({ pauseRequested: false }),
    recordHalt: assign(({ context, event }) => {
      const halted = event.type === 'RESUME' ? Math.max(0, event.haltedMs ?? 0) : 0;
      return { haltedMs: (context.haltedMs ?? 0) + halted };
    }),
  },
});

function stageState(stage: LoopStage) {
  return {
    entry: assign({ stage }),
    initial: 'check',
    states: {
      check: {
        always: [
          { guard: ({ context }: { context: EvolveContext }) => skips(context, stage), target: nextOf(stage) },
          { guard: 'pauseRequested' as const, target: '#evolve.paused' },
          { target: 'run' },
        ],
      },
      run: {
        invoke: {
          id: stage,
          src: stage,
          input: ({ context }: { context: EvolveContext }): StageInput => ({
            stage,
            iteration: context.iteration,
            latest: context.latest,
          }),
          onDone: { target: nextOf(stage), actions: 'finishStage' as const },
          onError: { target: '#evolve.failed', actions: 'recordError' as const },
        },
      },
    },
  };
}

export const evolveMachine = machineSetup.createMachine({
  id: 'evolve',
  context: ({ input }) => ({
    ...input,
    iteration: 0,
    stage: EVOLVE_STAGES[0],
    latest: {},
    current: {},
    history: [],
    lastEndedAt: input.startedAt,
    pauseRequested: false,
    stopReason: null,
    error: null,
  }),
  initial: 'running',
  states: {
    running: {
      initial: EVOLVE_STAGES[0],
      on: {
        PAUSE: { actions: 'requestPause' },
        PAUSE_NOW: { target: 'paused' },
        STOP: { target: 'stopped' },
      },
      // The stage states are generated from the stage list; XState's config types cannot follow a generated object.
      states: {
        // biome-ignore lint/suspicious/noExplicitAny: XState's config types cannot follow a generated object.
        ...(Object.fromEntries(EVOLVE_STAGES.map((s) => [s, stageState(s)])) as any),
        decide: {
          always: [
            { guard: and(['shouldStop', 'hasRl']), target: '#evolve.rl', actions: 'recordStop' },
            { guard: 'shouldStop', target: '#evolve.done', actions: 'recordStop' },
            { target: EVOLVE_STAGES[0], actions: 'nextIteration' },
          ],
        },
      },
    },
    // The RL phase: run once after the loop stopped, at the loop's last iteration. A snapshot from before this
    // state existed never enters it (its stage list has no RL stage), so it restores and finishes as before.
    rl: {
      initial: RL_STAGES[0],
      on: {
        PAUSE: { actions: 'requestPause' },
        PAUSE_NOW: { target: 'paused' },
        STOP: { target: 'stopped' },
      },
      // biome-ignore lint/suspicious/noExplicitAny: XState's config types cannot follow a generated object.
      states: Object.fromEntries(RL_STAGES.map((s) => [s, stageState(s)])) as any,
    },
    paused: {
      entry: 'clearPause',
      on: {
        RESUME: { target: 'resuming', actions: 'recordHalt' },
        STOP: { target: 'stopped' },
      },
    },
    failed: {
      on: {
        RESUME: { target: 'resuming', actions: 'recordHalt' },
        STOP: { target: 'stopped' },
      },
    },
    // Goes back to the stage that was paused or failed; it runs again from its start.
    resuming: {
      always: ALL_STAGES.map((s) => ({
        guard: ({ context }: { context: EvolveContext }) => context.stage === s,
        target: `${statePath(s)}.run`,
      })),
    },
    done: { type: 'final' },
    stopped: { type: 'final' },
  },
});

export type EvolveMachine = typeof evolveMachine;
