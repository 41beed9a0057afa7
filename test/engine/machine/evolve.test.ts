import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor, type AnyActorRef } from 'xstate';
import { getShortestPaths } from '@xstate/graph';
import { evolveMachine } from '../../../src/engine/machine/evolve.ts';
import type { EvolveInput, StageInput, StageOutput } from '../../../src/engine/machine/evolve-types.ts';
import { StoreError } from '../../../src/store/store-error.ts';
import { EVOLVE_STAGES, RL_STAGES, type EvolveStage, type LoopStage } from '../../../src/recipe/stage-names.ts';

const ALL: EvolveStage[] = [...EVOLVE_STAGES];

interface Call {
  stage: LoopStage;
  iteration: number;
  latest: StageInput['latest'];
}

// Stage actors that record each call and report eval.accuracy = 0.5 + 0.1 × iteration; `gate` can hold a stage open.
function scripted(options: { fail?: (c: Call) => boolean | Error; gate?: (c: Call) => Promise<void> | undefined } = {}) {
  const calls: Call[] = [];
  const actor = fromPromise<StageOutput, StageInput>(async ({ input }) => {
    const call = { stage: input.stage, iteration: input.iteration, latest: input.latest };
    calls.push(call);
    await options.gate?.(call);
    const failure = options.fail?.(call);
    if (failure instanceof Error) throw failure;
    if (failure) throw new Error(`${input.stage} broke`);
    const metrics: Record<string, number> =
      input.stage === 'eval' ? { accuracy: 0.5 + 0.1 * input.iteration } : input.stage === 'rl_eval' ? { accuracy: 0.9 } : {};
    return { metrics, endedAt: 1_000 + calls.length };
  });
  const machine = evolveMachine.provide({ actors: Object.fromEntries([...ALL, ...RL_STAGES].map((s) => [s, actor])) as never });
  return { calls, machine };
}

function input(overrides: Partial<EvolveInput> = {}): EvolveInput {
  return { stages: ALL, until: { maxIterations: 2 }, startedAt: 1_000, ...overrides };
}

const finished = (a: AnyActorRef) =>
  waitFor(a, (s) => ['done', 'stopped', 'paused', 'failed'].some((v) => s.matches(v)), { timeout: 2000 });

describe('evolve machine', () => {
  it('runs iteration 0 as train_sft → eval, then every stage per iteration, until the cap', async () => {
    const { calls, machine } = scripted();
    const actor = createActor(machine, { input: input() }).start();
    const end = await finished(actor);
    expect(end.value).toBe('done');
    expect(calls.filter((c) => c.iteration === 0).map((c) => c.stage)).toEqual(['train_sft', 'eval']);
    expect(calls.filter((c) => c.iteration === 1).map((c) => c.stage)).toEqual(ALL);
    expect(calls.filter((c) => c.iteration === 2).map((c) => c.stage)).toEqual(ALL);
    expect(end.context.stopReason).toBe('reached max_iterations 2');
  });

  it("gives each stage the iteration of every earlier stage's latest outputs", async () => {
    const { calls, machine } = scripted();
    await finished(createActor(machine, { input: input({ until: { maxIterations: 1 } }) }).start());
    const sampleRm = calls.find((c) => c.stage === 'sample_rm')!;
    expect(sampleRm.latest).toEqual({ train_sft: 0, eval: 0 });
    const trainSft = calls.find((c) => c.stage === 'train_sft' && c.iteration === 1)!;
    expect(trainSft.latest).toMatchObject({ select: 1, train_sft: 0, sample_rm: 1 });
  });

  it('skips the stages a recipe leaves out', async () => {
    const { calls, machine } = scripted();
    const stages = ALL.filter((s) => s !== 'grade' && s !== 'score');
    await finished(createActor(machine, { input: input({ stages, until: { maxIterations: 1 } }) }).start());
    expect(calls.filter((c) => c.iteration === 1).map((c) => c.stage)).toEqual(stages);
  });

  it('stops early when the metric target holds, with the reason', async () => {
    const { calls, machine } = scripted();
    const actor = createActor(machine, { input: input({ until: { maxIterations: 9, metric: 'eval.accuracy >= 0.65' } }) }).start();
    const end = await finished(actor);
    expect(end.context.iteration).toBe(2);
    expect(end.context.stopReason).toMatch(/^eval\.accuracy >= 0\.65 held at iteration 2 \(eval\.accuracy = 0\.7/);
    expect(Math.max(...calls.map((c) => c.iteration))).toBe(2);
  });

  it('keeps only the history the stop rule needs', async () => {
    const { machine } = scripted();
    const until = { maxIterations: 6, plateau: { metric: 'eval.accuracy', delta: 0.5, window: 2 } };
    const end = await finished(createActor(machine, { input: input({ until }) }).start());
    expect(end.context.history.length).toBeLessThanOrEqual(3);
    expect(end.context.stopReason).toMatch(/^plateau: eval\.accuracy improved by/);
  });

  it('stops on the wall-time budget, measured from stage end times', async () => {
    const { machine } = scripted();
    const end = await finished(createActor(machine, { input: input({ until: { walltimeSeconds: 0.001 }, startedAt: 0 }) }).start());
    expect(end.context.iteration).toBe(0);
    expect(end.context.stopReason).toMatch(/^wall time .* the budget/);
  });

  it('PAUSE lets the running stage finish, then pauses before the next; RESUME goes on without rerunning it', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { calls, machine } = scripted({ gate: (c) => (c.stage === 'grade' ? held : undefined) });
    const actor = createActor(machine, { input: input({ until: { maxIterations: 1 } }) }).start();
    await waitFor(actor, (s) => s.matches({ running: { grade: 'run' } }));
    actor.send({ type: 'PAUSE' });
    release();
    const paused = await finished(actor);
    expect(paused.value).toBe('paused');
    expect(paused.context.stage).toBe('train_rm');
    expect(calls.at(-1)!.stage).toBe('grade');
    actor.send({ type: 'RESUME' });
    expect((await finished(actor)).value).toBe('done');
    expect(calls.filter((c) => c.iteration === 1).map((c) => c.stage)).toEqual(ALL);
  });

  it('keeps the time a run stood paused off the wall-time budget (RESUME carries it)', async () => {
    // Each stage takes 10 s of a fake clock; the run pauses after train_sft of iteration 0 and stands for an hour.
    const run = async (haltedMs: number | undefined) => {
      let clock = 0;
      const stage = fromPromise<StageOutput, StageInput>(async ({ input }) => {
        clock += 10_000;
        const metrics: Record<string, number> = input.stage === 'eval' ? { accuracy: 0.5 } : {};
        return { metrics, endedAt: clock };
      });
      const machine = evolveMachine.provide({ actors: Object.fromEntries(ALL.map((st) => [st, stage])) as never });
      const actor = createActor(machine, { input: input({ until: { maxIterations: 10, walltimeSeconds: 150 }, startedAt: 0 }) }).start();
      actor.send({ type: 'PAUSE' });
      expect((await finished(actor)).value).toBe('paused');
      clock += 3_600_000;
      actor.send({ type: 'RESUME', ...(haltedMs === undefined ? {} : { haltedMs }) });
      return finished(actor);
    };
    const counted = await run(undefined);
    expect([counted.value, counted.context.iteration]).toEqual(['done', 0]);
    // 20 s in iteration 0, then 80 s per iteration: the budget of 150 s is spent during iteration 2.
    const kept = await run(3_600_000);
    expect([kept.value, kept.context.iteration, kept.context.haltedMs]).toEqual(['done', 2, 3_600_000]);
    expect(kept.context.stopReason).toMatch(/^wall time 3m exceeded the budget 2m30s/);
  });

  it('PAUSE_NOW interrupts the stage; RESUME runs it again from its start', async () => {
    let first = true;
    const { calls, machine } = scripted({
      gate: (c) => (c.stage === 'train_rm' && first ? ((first = false), new Promise(() => {})) : undefined),
    });
    const actor = createActor(machine, { input: input({ until: { maxIterations: 1 } }) }).start();
    await waitFor(actor, (s) => s.matches({ running: { train_rm: 'run' } }));
    actor.send({ type: 'PAUSE_NOW' });
    expect(actor.getSnapshot().value).toBe('paused');
    actor.send({ type: 'RESUME' });
    expect((await finished(actor)).value).toBe('done');
    expect(calls.filter((c) => c.stage === 'train_rm').length).toBe(2);
    expect(calls.filter((c) => c.stage === 'grade').length).toBe(1);
  });

  it('keeps the code of a LoopError that failed a stage (a store failure is not a stage failure)', async () => {
    const { machine } = scripted({ fail: (c) => c.stage === 'eval' && new StoreError('store: publishing eval failed') });
    const actor = createActor(machine, { input: input({ until: { maxIterations: 0 } }) }).start();
    const failed = await finished(actor);
    expect(failed.context.error).toEqual({ stage: 'eval', iteration: 0, message: 'store: publishing eval failed', code: 'E_STORE' });
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as never;
    const restored = createActor(machine, { snapshot: persisted, input: input() });
    expect(restored.getSnapshot().context.error?.code).toBe('E_STORE');
  });

  it('a failing stage fails the run with its message; RESUME reruns only that stage', async () => {
    let broken = true;
    const { calls, machine } = scripted({ fail: (c) => broken && c.stage === 'select' });
    const actor = createActor(machine, { input: input({ until: { maxIterations: 1 } }) }).start();
    const failed = await finished(actor);
    expect(failed.value).toBe('failed');
    expect(failed.context.error).toEqual({ stage: 'select', iteration: 1, message: 'select broke', code: 'E_STAGE_FAILED' });
    broken = false;
    actor.send({ type: 'RESUME' });
    expect((await finished(actor)).value).toBe('done');
    const iteration1 = calls.filter((c) => c.iteration === 1).map((c) => c.stage);
    expect(iteration1).toEqual([...ALL.slice(0, ALL.indexOf('select') + 1), 'select', 'train_sft', 'eval']);
  });

  it('STOP ends the run for good', async () => {
    const { machine } = scripted({ gate: (c) => (c.stage === 'eval' ? new Promise(() => {}) : undefined) });
    const actor = createActor(machine, { input: input() }).start();
    await waitFor(actor, (s) => s.matches({ running: { eval: 'run' } }));
    actor.send({ type: 'STOP' });
    expect(actor.getSnapshot().value).toBe('stopped');
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('survives a persisted-snapshot round trip while paused, and finishes without repeating work', async () => {
    const first = scripted();
    const actor = createActor(first.machine, { input: input() }).start();
    await waitFor(actor, (s) => s.context.iteration === 1 && s.matches({ running: { train_rm: 'run' } }));
    actor.send({ type: 'PAUSE' });
    await finished(actor);
    const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();

    const second = scripted();
    const restored = createActor(second.machine, { snapshot: saved, input: undefined as never }).start();
    expect(restored.getSnapshot().value).toBe('paused');
    restored.send({ type: 'RESUME' });
    const end = await finished(restored);
    expect(end.value).toBe('done');
    const all = [...first.calls, ...second.calls].map((c) => `${c.iteration}:${c.stage}`);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(2 + ALL.length * 2);
  });
});

describe('evolve machine graph', () => {
  it('reaches every state through its events', () => {
    const paths = shortestPaths();
    const reached = new Set(paths.map((p) => leaf(p.state.value)));
    const expected = [...ALL.map((s) => `running.${s}.run`), 'paused', 'failed', 'done', 'stopped'];
    for (const state of expected) expect(reached, state).toContain(state);
  });

  it('reaches every RL state when the recipe has an RL phase', () => {
    const paths = shortestPaths([...ALL, ...RL_STAGES]);
    const reached = new Set(paths.map((p) => leaf(p.state.value)));
    for (const state of RL_STAGES.map((s) => `rl.${s}.run`)) expect(reached, state).toContain(state);
  });
});

// Every state reachable from a one-iteration run, by the user's events and each stage's done and error events.
function shortestPaths(stages: LoopStage[] = ALL) {
  const events = (snapshot: { value: unknown }) => {
    const stage = stageRunning(snapshot.value);
    const base = [{ type: 'PAUSE' }, { type: 'PAUSE_NOW' }, { type: 'RESUME' }, { type: 'STOP' }];
    if (!stage) return base as never[];
    return [
      ...base,
      { type: `xstate.done.actor.${stage}`, output: { metrics: { accuracy: 0.5 }, endedAt: 2000 } },
      { type: `xstate.error.actor.${stage}`, error: new Error('x') },
    ] as never[];
  };
  return getShortestPaths(evolveMachine, {
    input: input({ stages, until: { maxIterations: 1 } }),
    events,
    serializeState: (s) => `${JSON.stringify(s.value)}|${s.context.iteration}|${s.context.pauseRequested}` as never,
  });
}

function stageRunning(value: unknown): string | undefined {
  const phases = value as { running?: Record<string, string>; rl?: Record<string, string> };
  const running = phases.running ?? phases.rl;
  if (!running || typeof running !== 'object') return undefined;
  const [stage, sub] = Object.entries(running)[0]!;
  return sub === 'run' ? stage : undefined;
}

function leaf(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, inner] = Object.entries(value as Record<string, unknown>)[0]!;
  return `${key}.${leaf(inner)}`;
}

describe('evolve machine persistence', () => {
  it.each([
    ['without', ALL],
    ['with', [...ALL, ...RL_STAGES]],
  ] as Array<[string, LoopStage[]]>)(
    'every reachable state %s an RL phase survives persist → JSON → restore → continue',
    async (_, stages) => {
      const paths = shortestPaths(stages);
      expect(paths.length).toBeGreaterThan(20);
      for (const path of paths) {
        const persisted = JSON.parse(JSON.stringify(evolveMachine.getPersistedSnapshot(path.state as never)));
        const { machine, calls } = scripted();
        const actor = createActor(machine, { snapshot: persisted, input: undefined as never }).start();
        const before = actor.getSnapshot();
        expect(before.status, leaf(path.state.value)).not.toBe('error');
        let end = before;
        // A pause that was requested before the snapshot still holds after it: resume until the run ends.
        for (let resumes = 0; resumes < 3; resumes++) {
          if (end.matches('paused') || end.matches('failed')) actor.send({ type: 'RESUME' });
          end = await finished(actor);
          if (end.value === 'done' || end.value === 'stopped') break;
        }
        const wasStopped = path.state.value === 'stopped';
        expect(end.value, leaf(path.state.value)).toBe(wasStopped ? 'stopped' : 'done');
        // Work recorded as finished in the snapshot is never run again after the restore.
        const latest = path.state.context.latest as Record<string, number>;
        for (const call of calls) {
          const finishedAt = latest[call.stage];
          if (finishedAt !== undefined) expect(call.iteration, `${call.stage} reran`).toBeGreaterThan(finishedAt);
        }
        actor.stop();
      }
    },
  );
});

describe('evolve machine RL phase', () => {
  const WITH_RL: LoopStage[] = [...ALL, ...RL_STAGES];

  it('runs the RL stages once after the loop stops, at its last iteration, with the final SFT model and RM', async () => {
    const { calls, machine } = scripted();
    const end = await finished(createActor(machine, { input: input({ stages: WITH_RL }) }).start());
    expect(end.value).toBe('done');
    const rl = calls.filter((c) => c.stage.startsWith('rl_'));
    expect(rl.map((c) => c.stage)).toEqual([...RL_STAGES]);
    expect(rl.every((c) => c.iteration === 2)).toBe(true);
    expect(rl[0]!.latest).toMatchObject({ train_sft: 2, train_rm: 2 });
    expect(end.context.rl).toEqual({ 'rl_eval.accuracy': 0.9 });
    expect(end.context.stopReason).toBe('reached max_iterations 2');
    // The loop's metrics keep their own history: the RL phase's do not mix into the last iteration's.
    expect(end.context.current['rl_eval.accuracy']).toBeUndefined();
  });

  it('skips an RL stage the recipe leaves out (rl_grade)', async () => {
    const { calls, machine } = scripted();
    const stages = WITH_RL.filter((s) => s !== 'rl_grade');
    await finished(createActor(machine, { input: input({ stages, until: { maxIterations: 1 } }) }).start());
    expect(calls.filter((c) => c.stage.startsWith('rl_')).map((c) => c.stage)).toEqual(['rl_sample', 'rl_filter', 'rl_train', 'rl_eval']);
  });

  it('pauses, fails and resumes inside the RL phase like in the loop', async () => {
    let broken = true;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { calls, machine } = scripted({
      fail: (c) => broken && c.stage === 'rl_train',
      gate: (c) => (c.stage === 'rl_sample' ? held : undefined),
    });
    const actor = createActor(machine, { input: input({ stages: WITH_RL, until: { maxIterations: 1 } }) }).start();
    await waitFor(actor, (s) => s.matches({ rl: { rl_sample: 'run' } }));
    actor.send({ type: 'PAUSE' });
    release();
    const paused = await finished(actor);
    expect(paused.value).toBe('paused');
    expect(paused.context.stage).toBe('rl_grade');
    actor.send({ type: 'RESUME' });
    const failed = await finished(actor);
    expect(failed.value).toBe('failed');
    expect(failed.context.error).toEqual({ stage: 'rl_train', iteration: 1, message: 'rl_train broke', code: 'E_STAGE_FAILED' });
    broken = false;
    actor.send({ type: 'RESUME' });
    expect((await finished(actor)).value).toBe('done');
    expect(calls.filter((c) => c.stage.startsWith('rl_')).map((c) => c.stage)).toEqual([
      'rl_sample',
      'rl_grade',
      'rl_filter',
      'rl_train',
      'rl_train',
      'rl_eval',
    ]);
  });

  it('restores mid-RL from a persisted snapshot and finishes without rerunning RL work', async () => {
    const first = scripted({ gate: (c) => (c.stage === 'rl_train' ? new Promise(() => {}) : undefined) });
    const actor = createActor(first.machine, { input: input({ stages: WITH_RL, until: { maxIterations: 1 } }) }).start();
    await waitFor(actor, (s) => s.matches({ rl: { rl_train: 'run' } }));
    const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    const second = scripted();
    const restored = createActor(second.machine, { snapshot: saved, input: undefined as never }).start();
    const end = await finished(restored);
    expect(end.value).toBe('done');
    expect(second.calls.map((c) => c.stage)).toEqual(['rl_train', 'rl_eval']);
    expect(end.context.rl).toEqual({ 'rl_eval.accuracy': 0.9 });
  });

  it('restores a snapshot saved before the RL phase existed, and finishes it as before', async () => {
    const saved = JSON.parse(readFileSync(new URL('./fixtures/evolve-before-rl-failed.json', import.meta.url), 'utf8'));
    const { calls, machine } = scripted();
    const actor = createActor(machine, { snapshot: saved, input: undefined as never }).start();
    expect(actor.getSnapshot().status).not.toBe('error');
    expect(actor.getSnapshot().value).toBe('failed');
    actor.send({ type: 'RESUME' });
    const end = await finished(actor);
    expect(end.value).toBe('done');
    expect(calls.map((c) => `${c.iteration}:${c.stage}`)).toEqual(['1:select', '1:train_sft', '1:eval', ...ALL.map((s) => `2:${s}`)]);
    expect(end.context.rl).toBeUndefined();
  });
});
