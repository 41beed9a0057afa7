import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRecipe } from '../../src/recipe/load-recipe.ts';
import { createRun } from '../../src/run-folder/create-run.ts';
import { startController } from '../../src/engine/controller.ts';
import { getExecutor } from '../../src/executors/registry.ts';
import { readRecentIterations, readRunReport } from '../../src/metrics/read-run-report.ts';
import { readRunRecipe } from '../../src/run-folder/read-run-recipe.ts';
import { readIterationFolder } from '../../src/run-folder/iteration-summary.ts';
import { readIterationIndex } from '../../src/run-folder/iteration-index.ts';
import type { RunState } from '../../src/run-folder/run-state.ts';
import { fixtureRecipe, useFixtures } from '../helpers/fixture-run.ts';
import { isCostMetric } from '../../src/metrics/cost-metrics.ts';

const fixture = useFixtures();

// Runs the fixture recipe to its end, keeping the size of every snapshot persisted as an iteration's eval starts.
async function runFixture(recipeText: string) {
  const f = fixture(recipeText);
  const home = path.join(f.dir, '.loop');
  const recipe = loadRecipe(f.recipeFile, { checkInputs: true });
  const { name, paths } = createRun(home, recipe, readFileSync(f.recipeFile, 'utf8'));
  const sizes: number[] = [];
  const histories: unknown[] = [];
  const deps = { executorFor: getExecutor, now: () => new Date(), sleep: async () => undefined };
  const controller = startController({
    name,
    paths,
    recipe,
    deps,
    onTransition: (event, state: RunState) => {
      if (event.to !== 'eval') return;
      sizes[state.iteration] = JSON.stringify(state.snapshot).length;
      histories[state.iteration] = (state.snapshot as { context: { history: unknown } }).context.history;
    },
  });
  const final = await controller.done;
  return { home, name, paths, final, sizes, histories };
}

const withPlateau = (maxIterations: number) =>
  fixtureRecipe({ maxIterations }).replace('until:\n', 'until:\n  plateau: { metric: eval.accuracy, delta: 0, window: 2 }\n');

describe('the iteration index and a flat snapshot', () => {
  it('indexes each finished iteration once, in order, with what its folder holds', async () => {
    const { paths, final } = await runFixture(fixtureRecipe({ maxIterations: 3 }));
    expect(final.status).toBe('succeeded');
    const lines = readFileSync(paths.index, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { iteration: number });
    expect(lines.map((l) => l.iteration)).toEqual([0, 1, 2, 3]);
    const indexed = readIterationIndex(paths);
    for (const i of [0, 1, 2, 3]) expect(indexed.get(i)).toEqual(readIterationFolder(paths, i));
    expect(indexed.get(2)!.metrics).toEqual({ 'eval.accuracy': 0.5 });
    expect(Object.keys(indexed.get(2)!.stages)).toEqual(['sample_rm', 'train_rm', 'sample_sft', 'select', 'train_sft', 'eval']);
  });

  it('status reads finished iterations from the index, and from the folders where the index lacks them', async () => {
    const { home, name, paths } = await runFixture(fixtureRecipe({ maxIterations: 3 }));
    // The index answers for iteration 1 even with its stage records gone...
    rmSync(paths.stageStatus(1, 'eval'));
    // (status adds wall-time metrics from the same records: time.*, gpu_hours.*)
    expect(scriptMetrics(readRunReport(home, name).iterations[1]!.metrics)).toEqual({ 'eval.accuracy': 0.4 });
    // ...and an index that lost lines (a torn append, an older run) is completed from the folders.
    const lines = readFileSync(paths.index, 'utf8').split('\n');
    writeFileSync(paths.index, `${lines[0]}\n{"iteration": 2, "metr\n`);
    const report = readRunReport(home, name);
    expect(report.iterations.map((it) => it.index)).toEqual([0, 1, 2, 3]);
    expect(report.iterations.map((it) => it.metrics['eval.accuracy'])).toEqual([0.3, undefined, 0.5, 0.6]);
    rmSync(paths.index);
    expect(readRunReport(home, name).iterations.map((it) => it.metrics['eval.accuracy'])).toEqual([0.3, undefined, 0.5, 0.6]);
  });

  it('lists the last iterations from the index end the same as from the whole index, older indexes and gaps included', async () => {
    const gpus = '    resources: { gpus: 2 }\n';
    const { home, name, paths } = await runFixture(fixtureRecipe({ maxIterations: 9, stageExtra: { train_sft: gpus, eval: gpus } }));
    const all = readRunReport(home, name);
    expect(all.iterations.map((it) => it.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(all.earlierIterations).toBe(0);
    const recent = readRunReport(home, name, { recent: 4 });
    expect(recent.earlierIterations).toBe(6);
    // The same iterations, read from the index's end (not the whole-file fallback), gpu_hours.cumulative carried on
    // from the totals on iteration 5's line.
    expect(readRecentIterations(paths, readRunRecipe(paths), 9, 4)?.iterations).toEqual(all.iterations.slice(6));
    expect(recent.iterations).toEqual(all.iterations.slice(6));
    expect(recent.iterations.at(-1)!.metrics['gpu_hours.cumulative']).toBeGreaterThan(0);
    // Each line carries the totals through its iteration: accuracy is 0.3 … 0.9 for iterations 0–6, then 0.10.
    const lines = readFileSync(paths.index, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1).totals).toMatchObject({ mainMetric: 'eval.accuracy', higherIsBetter: true, best: { iteration: 6, value: 0.9 } });
    expect(lines[3].totals.best).toEqual({ iteration: 3, value: 0.6 });
    // An iteration missing from the index (a crash before its append) is read from its folder...
    writeFileSync(
      paths.index,
      `${lines
        .filter((l) => l.iteration !== 8)
        .map((l) => JSON.stringify(l))
        .join('\n')}\n`,
    );
    expect(readRunReport(home, name, { recent: 4 }).iterations).toEqual(all.iterations.slice(6));
    // ...and an index written by a loop without totals is read whole, the same iterations listed.
    writeFileSync(paths.index, `${lines.map(({ totals: _, ...l }) => JSON.stringify(l)).join('\n')}\n`);
    expect(readRecentIterations(paths, readRunRecipe(paths), 9, 4)).toBeNull();
    expect(readRunReport(home, name, { recent: 4 })).toEqual(recent);
  });

  it('keeps the snapshot the same size whatever the run length: only the plateau metric of the last window+1 iterations', async () => {
    const { final, sizes, histories } = await runFixture(withPlateau(7));
    expect(final.status).toBe('succeeded');
    expect(final.stopReason).toBe('reached max_iterations 7');
    // From iteration 3 on the history is full (window 2 + 1): the size no longer grows.
    expect(sizes[7]).toBeLessThanOrEqual(sizes[3]! + 8);
    expect(histories[7]).toEqual([{ 'eval.accuracy': 0.7 }, { 'eval.accuracy': 0.8 }, { 'eval.accuracy': 0.9 }]);
    expect(histories[0]).toEqual([]);
  });
});

// The metrics the stage scripts wrote, without the cost metrics status derives from stage records.
function scriptMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([name]) => !isCostMetric(name)));
}
