import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffRows } from '../../src/diff/diff-selected-rows.ts';
import { diffConfigs } from '../../src/diff/diff-configs.ts';
import type { Recipe } from '../../src/recipe/types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('diffRows', () => {
  it('counts rows added and removed by their exact text, duplicates included, blank lines ignored', () => {
    const left = file('l.jsonl', '{"a":1}\n{"b":2}\n{"b":2}\n\n');
    const right = file('r.jsonl', '{"b":2}\r\n{"c":3}\n{"a": 1}\n');
    expect(diffRows('data', left, right)).toEqual({ output: 'data', left: 3, right: 3, added: 2, removed: 2 });
    expect(diffRows('data', left, left)).toMatchObject({ added: 0, removed: 0 });
  });
});

describe('diffConfigs', () => {
  const base = {
    name: 'q',
    loop: 'evolve',
    seed: 1,
    recipeDir: '/a',
    recipeFile: '/a/r.yaml',
    vars: { k: 1 },
    inputs: {},
    executor: { kind: 'local' },
    stages: [],
    until: { maxIterations: 2 },
    mainMetric: 'eval.accuracy',
    metrics: [],
  } as unknown as Recipe;

  it('reports differing keys with null for an absent side, and skips where the recipe lives', () => {
    const other = { ...base, seed: 2, recipeDir: '/b', recipeFile: '/b/r.yaml', vars: { j: 'x', k: 1 } } as Recipe;
    expect(diffConfigs(base, other)).toEqual([
      { path: 'seed', left: 1, right: 2 },
      { path: 'vars.j', left: null, right: 'x' },
    ]);
  });
});
