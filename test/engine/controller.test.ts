import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';
import { createRun } from '../../src/run-folder/create-run.ts';
import { startController } from '../../src/engine/controller.ts';
import { getExecutor } from '../../src/executors/registry.ts';
import { readRunState } from '../../src/run-folder/run-state.ts';
import { runPaths } from '../../src/run-folder/run-paths.ts';
import { readStageRecord } from '../../src/run-folder/stage-record.ts';
import { readRunReport } from '../../src/metrics/read-run-report.ts';
import { StageFailedError } from '../../src/engine/stage-failed-error.ts';
import { fixtureRecipe, type makeFixture, useFixtures } from '../helpers/fixture-run.ts';

const fixture = useFixtures();

function start(fixture: ReturnType<typeof makeFixture>, resume?: { name: string; haltedAt?: string }) {
  const home = path.join(fixture.dir, '.loop');
  const recipe = loadRecipe(fixture.recipeFile, { checkInputs: true });
  const deps = { executorFor: getExecutor, now: () => new Date(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  if (resume) {
    const paths = runPaths(home, resume.name);
    const state = readRunState(paths.state);
    return {
      home,
      name: resume.name,
      paths,
      controller: startController({
        name: resume.name,
        paths,
        recipe,
        deps,
        snapshot: state.snapshot,
        createdAt: state.createdAt,
        haltedAt: resume.haltedAt,
      }),
    };
  }
  const { name, paths } = createRun(home, recipe, readFileSync(fixture.recipeFile, 'utf8'));
  return { home, name, paths, controller: startController({ name, paths, recipe, deps }) };
}

describe('controller with the local executor', () => {
  it('runs the loop to its stop rule and records every stage, metric and transition', async () => {
    const f = fixture();
    const { home, name, paths, controller } = start(f);
    const state = await controller.done;
    expect(state.status).toBe('succeeded');
    expect(state.stopReason).toBe('reached max_iterations 2');
    expect(f.calls()).toEqual([
      '0:train_sft',
      '0:eval',
      ...[1, 2].flatMap((i) => ['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft', 'eval'].map((s) => `${i}:${s}`)),
    ]);
    const persisted = readRunState(paths.state);
    expect(persisted).toMatchObject({ version: 1, status: 'succeeded', iteration: 2 });
    const record = readStageRecord(paths.stageStatus(1, 'eval'))!;
    expect(record).toMatchObject({ status: 'succeeded', exitCode: 0, attempt: 1, metrics: { accuracy: 0.4 } });
    expect(record.outputs.artifact!.bytes).toBe(9);
    expect(readFileSync(paths.stageLog(1, 'eval'), 'utf8')).toContain('stage eval iteration 1 attempt 1');
    const report = readRunReport(home, name);
    expect(report.iterations.map((it) => it.metrics['eval.accuracy'])).toEqual([0.3, 0.4, 0.5]);
    const events = readFileSync(paths.events, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ from: null, to: 'train_sft', iteration: 0 });
    expect(events.at(-1)).toMatchObject({ to: 'done', detail: 'reached max_iterations 2' });
  });

  it('passes placeholders as single arguments: earlier outputs, fallbacks and hostile values', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    const { paths, controller } = start(f);
    await controller.done;
    const args0 = readFileSync(path.join(paths.stageOut(0, 'train_sft'), 'args.txt'), 'utf8').split('\n');
    expect(args0[0]).toBe(path.join(f.dir, 'stage.sh'));
    expect(args0[1]).toBe(`; rm -rf / $(touch pwned) 'q' "dq" two  spaces`);
    const args1 = readFileSync(path.join(paths.stageOut(1, 'train_sft'), 'args.txt'), 'utf8').split('\n');
    expect(args1[0]).toBe(path.join(paths.stageOut(1, 'select'), 'artifact'));
    const sampleArgs = readFileSync(path.join(paths.stageOut(1, 'sample_rm'), 'args.txt'), 'utf8').split('\n');
    expect(sampleArgs[0]).toBe(path.join(paths.stageOut(0, 'train_sft'), 'artifact'));
    expect(existsSync(path.join(f.dir, 'pwned'))).toBe(false);
  });

  it('a failing stage fails the run with its log tail; resume reruns only that stage', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }));
    writeFileSync(path.join(f.dir, 'fail-select'), '3');
    const first = start(f);
    const failed = await first.controller.done;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ stage: 'select', iteration: 1 });
    expect(failed.error!.message).toBe('stage select of iteration 1 failed: exited with code 3');
    const record = readStageRecord(first.paths.stageStatus(1, 'select'))!;
    expect(record).toMatchObject({ status: 'failed', exitCode: 3, reason: 'exited with code 3' });
    expect(readFileSync(first.paths.stageLog(1, 'select'), 'utf8')).toContain('something broke in select');

    rmSync(path.join(f.dir, 'fail-select'));
    const resumed = start(f, { name: first.name });
    expect((await resumed.controller.done).status).toBe('succeeded');
    const calls = f.calls();
    expect(calls.filter((c) => c === '1:select')).toHaveLength(2);
    for (const stage of ['0:train_sft', '0:eval', '1:sample_rm', '1:train_rm', '1:sample_sft', '1:train_sft', '1:eval']) {
      expect(
        calls.filter((c) => c === stage),
        stage,
      ).toHaveLength(1);
    }
  });

  it('does not accept a stage whose declared output is missing, or whose metrics.json is not numbers', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(path.join(f.dir, 'no-output-train_sft'), '');
    const a = start(f);
    const state = await a.controller.done;
    expect(state.status).toBe('failed');
    expect(state.error!.message).toMatch(/exited 0 but declared outputs are missing in .*: artifact \(artifact\)/);

    rmSync(path.join(f.dir, 'no-output-train_sft'));
    writeFileSync(path.join(f.dir, 'bad-metrics-eval'), '');
    const b = start(f);
    const second = await b.controller.done;
    expect(second.error!.message).toBe(
      'stage eval of iteration 0 failed: metrics.json: "accuracy" is "high"; every value must be a finite number',
    );
  });

  it('retries under the policy, then succeeds, keeping every attempt in the record and the log', async () => {
    const script = '    retry: { attempts: 3 }\n';
    const f = fixture(fixtureRecipe({ maxIterations: 0, stageExtra: { eval: script } }));
    writeFileSync(path.join(f.dir, 'fail-first-eval'), '');
    const { paths, controller } = start(f);
    const state = await controller.done;
    expect(state.status).toBe('succeeded');
    const record = readStageRecord(paths.stageStatus(0, 'eval'))!;
    expect(record.attempt).toBe(2);
    expect(record.attempts).toHaveLength(2);
    expect(readFileSync(paths.stageLog(0, 'eval'), 'utf8')).toMatch(/first attempt of eval fails[\s\S]*attempt 2\/3/);
    expect(record.attempts[0]).toMatchObject({ attempt: 1, exitCode: 1, reason: 'exited with code 1' });
    expect(record.status).toBe('succeeded');
  });

  it('stops a stage past its time limit and says so', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0, stageExtra: { train_sft: '    resources: { time: 1 }\n' } }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '30');
    const started = Date.now();
    const state = await start(f).controller.done;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(state.status).toBe('failed');
    expect(state.error!.message).toMatch(/^stage train_sft of iteration 0 failed: stopped after its time limit/);
  });

  it('pauseNow cancels the running process; resume runs that stage again', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(path.join(f.dir, 'sleep-eval'), '30');
    const first = start(f);
    const wait = setInterval(() => {
      if (f.calls().includes('0:eval')) {
        clearInterval(wait);
        first.controller.pauseNow();
      }
    }, 10);
    const paused = await first.controller.done;
    expect(paused.status).toBe('paused');
    expect(readStageRecord(first.paths.stageStatus(0, 'eval'))!.status).toBe('canceled');
    rmSync(path.join(f.dir, 'sleep-eval'));
    const resumed = start(f, { name: first.name });
    expect((await resumed.controller.done).status).toBe('succeeded');
    expect(f.calls()).toEqual(['0:train_sft', '0:eval', '0:eval']);
  });
});

describe('StageFailedError', () => {
  it('carries the log tail', () => {
    const error = new StageFailedError('eval', 2, 'exited with code 1', '/x/log.txt', ['a', 'b']);
    expect(error.code).toBe('E_STAGE_FAILED');
    expect(error.logTail).toEqual(['a', 'b']);
  });
});

describe('stages whose outputs cannot be read', () => {
  it('a metrics.json that is a folder fails the attempt with a reason; the record is never left running', async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0 }));
    writeFileSync(
      path.join(f.dir, 'stage.sh'),
      readFileSync(path.join(f.dir, 'stage.sh'), 'utf8').replace('exit 0\n', 'mkdir -p "$out/metrics.json"\nexit 0\n'),
    );
    const { paths, controller } = start(f);
    const state = await controller.done;
    expect(state.status).toBe('failed');
    const record = readStageRecord(paths.stageStatus(0, 'train_sft'))!;
    expect(record.status).toBe('failed');
    expect(record.reason).toBe('metrics.json cannot be read (EISDIR); write a file holding a flat object of numbers');
  });
});

describe('controller: the wall-time budget on resume', () => {
  // A run fails in iteration 0's eval, then stands for two hours (its clock set back); resumed, it has a budget of
  // one hour. Given how long it stood (state.json's updatedAt), the budget holds and the run goes on.
  async function failedTwoHoursAgo(): Promise<{ f: ReturnType<typeof makeFixture>; name: string; updatedAt: string }> {
    const f = fixture(fixtureRecipe({ maxIterations: 1 }).replace('  max_iterations: 1', '  max_iterations: 1\n  walltime: 1h'));
    writeFileSync(path.join(f.dir, 'fail-eval'), '1');
    const { name, paths, controller } = start(f);
    expect((await controller.done).status).toBe('failed');
    rmSync(path.join(f.dir, 'fail-eval'));
    const state = readRunState(paths.state);
    const twoHours = 2 * 3600_000;
    const context = (state.snapshot as { context: { startedAt: number; lastEndedAt: number } }).context;
    context.startedAt -= twoHours;
    context.lastEndedAt -= twoHours;
    const updatedAt = new Date(Date.parse(state.updatedAt) - twoHours).toISOString();
    writeFileSync(paths.state, JSON.stringify({ ...state, updatedAt }));
    return { f, name, updatedAt };
  }

  it('keeps the time the run stood failed off the budget', async () => {
    const { f, name, updatedAt } = await failedTwoHoursAgo();
    const state = await start(f, { name, haltedAt: updatedAt }).controller.done;
    expect([state.status, state.iteration, state.stopReason]).toEqual(['succeeded', 1, 'reached max_iterations 1']);
  });

  it('without it, the two hours count and the budget stops the run after iteration 0', async () => {
    const { f, name } = await failedTwoHoursAgo();
    const state = await start(f, { name }).controller.done;
    expect([state.status, state.iteration]).toEqual(['succeeded', 0]);
    expect(state.stopReason).toMatch(/^wall time 2h.* exceeded the budget 1h/);
  });
});
