import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';
import { createRun } from '../../src/run-folder/create-run.ts';
import { startController } from '../../src/engine/controller.ts';
import { getExecutor } from '../../src/executors/registry.ts';
import { attemptName } from '../../src/executors/attempt-name.ts';
import { createRayExecutor } from '../../src/executors/ray/run-ray.ts';
import { httpRequest, type HttpRequester } from '../../src/executors/ray/http-request.ts';
import { readRunState } from '../../src/run-folder/run-state.ts';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';
import { describeWith } from '../support/optional-dependency.ts';
import { holdRayCluster, RAY_ADDRESS, rayAvailable, rayJobs } from '../support/ray.ts';

const fixture = useFixtures();

// Issue 17: a Ray dashboard that stops answering says nothing about the job, which may still run. Failing the attempt
// would let the retry policy submit attempt 2 as a second job beside it; only a job a reachable dashboard says it
// does not know is submitted again. The dashboard's silence is real (its requests go to a closed port: ECONNREFUSED);
// the clock given to the Ray executor jumps a minute at each look while it lasts, so "10 minutes" pass in a second.
describeWith('a Ray dashboard silent for long', rayAvailable(), () => {
  holdRayCluster();

  it('stops the run with the attempt in doubt, never a second job; resume follows the same job to its end', {
    timeout: 120_000,
  }, async () => {
    const f = fixture(fixtureRecipe({ maxIterations: 0, stageExtra: { train_sft: '    retry: { attempts: 3 }\n' } }));
    writeFileSync(path.join(f.dir, 'sleep-train_sft'), '4');
    const recipe = loadRecipe(f.recipeFile, { checkInputs: true, sets: ['executor.kind=ray', `executor.address=${RAY_ADDRESS}`] });
    const { name, paths } = createRun(path.join(f.dir, '.loop'), recipe, readFileSync(f.recipeFile, 'utf8'));
    let silent = false;
    let skipped = 0;
    const request: HttpRequester = (url, init) => httpRequest(silent ? url.replace(RAY_ADDRESS, 'http://127.0.0.1:9') : url, init);
    const ray = createRayExecutor({
      request,
      now: () => new Date(Date.now() + (silent ? (skipped += 60_000) : skipped)),
      firstPollMs: 100,
    });
    const deps = {
      executorFor: (kind: string) => (kind === 'ray' ? ray : getExecutor(kind)),
      now: () => new Date(),
      sleep: (ms: number) => sleep(ms).then(() => undefined),
    };
    const job = (attempt: number) => attemptName({ run: name, runRoot: paths.root, iteration: 0, stage: 'train_sft', attempt });
    const ours = async () =>
      (await rayJobs()).filter((j) => j.submissionId.startsWith(job(1)) || j.submissionId.startsWith(job(2))).map((j) => j.submissionId);

    const controller = startController({ name, paths, recipe, deps });
    for (let i = 0; i < 600 && !f.calls().includes('0:train_sft'); i++) await sleep(100);
    silent = true;
    const left = await controller.done;
    expect(left.status).toBe('failed');
    expect(left.error?.message).toMatch(
      new RegExp(
        `^cannot reach the Ray dashboard at ${RAY_ADDRESS.replace(/\./g, '\\.')}: ECONNREFUSED for \\d+ s; Ray job ${job(1)} may still run`,
      ),
    );
    const record = JSON.parse(readFileSync(paths.stageStatus(0, 'train_sft'), 'utf8'));
    expect(record).toMatchObject({ status: 'running', attempt: 1 });
    expect(await ours()).toEqual([job(1)]);

    silent = false;
    const resumed = await startController({ name, paths, recipe, deps, snapshot: left.snapshot, createdAt: left.createdAt }).done;
    expect(resumed.status).toBe('succeeded');
    expect(await ours()).toEqual([job(1)]);
    expect((await rayJobs()).find((j) => j.submissionId === job(1))?.status).toBe('SUCCEEDED');
    const log = readFileSync(paths.stageLog(0, 'train_sft'), 'utf8');
    expect(log).toContain(`=== loop: following Ray job ${job(1)} again`);
    expect(log).not.toContain('attempt 2/3');
    expect(f.calls().filter((c) => c === '0:train_sft')).toHaveLength(1);
    expect(readRunState(paths.state).status).toBe('succeeded');
  });
});
