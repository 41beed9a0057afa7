import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunRecipe } from '../../src/run-folder/read-run-recipe.ts';
import { runPaths } from '../../src/run-folder/run-paths.ts';
import { readRunState, type RunState } from '../../src/run-folder/run-state.ts';
import { collectEntries, lastFinishedIteration } from '../../src/tracking/collect-entries.ts';
import type { OutboxEntry } from '../../src/tracking/outbox.ts';
import { runCli } from '../helpers/run-cli.ts';

const RECIPE = path.resolve('recipes/quickstart.yaml');
const FIXTURES = path.resolve('test/tracking/fixtures');
const root = mkdtempSync(path.join(tmpdir(), 'loop-collect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const byId = (entries: OutboxEntry[]) => new Map(entries.map((e) => [e.id, e.data]));

describe('collecting what trackers are due', () => {
  it('reading only the iterations after those already queued gives what reading every iteration gives', () => {
    const home = path.join(root, 'home');
    const sets = [
      'until.max_iterations=5',
      'tracking.tensorboard={}',
      `notify.command=[node, ${path.join(FIXTURES, 'record-notification.mjs')}, ${path.join(root, 'notifications.jsonl')}]`,
      'notify.on=[iteration_finished]',
    ].flatMap((s) => ['--set', s]);
    const run = runCli(['run', RECIPE, '--name', 'c', '--home', home, ...sets], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const paths = runPaths(home, 'c');
    const recipe = readRunRecipe(paths);
    const final = readRunState(paths.state);
    const at = '2026-12-04T00:00:00.000Z';
    const everything = byId(collectEntries(paths, recipe, final, at));
    expect([...everything.keys()].filter((id) => id.startsWith('tensorboard:iteration:'))).toHaveLength(final.iteration + 1);

    // As the tracker syncs: at each iteration of the run, then once finished, each time after what it queued before.
    const states: RunState[] = [...Array(final.iteration + 1).keys()].map((i) => ({ ...final, status: 'running', iteration: i }));
    let after: number | undefined;
    const queued = new Map<string, unknown>();
    for (const state of [...states, final]) {
      const entries = collectEntries(paths, recipe, state, at, after);
      for (const entry of entries) if (!queued.has(entry.id)) queued.set(entry.id, entry.data);
      after = Math.max(after ?? -1, lastFinishedIteration(state));
    }
    const perIteration = (m: Map<string, unknown>) => [...m].filter(([id]) => /:iteration(_finished)?:\d+$/.test(id));
    expect(perIteration(queued)).toEqual(perIteration(everything));
    // The deltas of each iteration_finished come from the one before, read again as the base.
    const last = queued.get(`notify:iteration_finished:${final.iteration}`) as { deltas: Record<string, number> };
    expect(Object.keys(last.deltas).length).toBeGreaterThan(0);
  });
});
