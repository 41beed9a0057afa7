import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../../../src/data/grade/grade-files.ts';
import { loadEquivalenceSuite } from './equivalence-suite.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'grade-py-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const read = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

// The recipes' grade.py gives the verdicts of `loop data grade` itself (it runs it), on the whole suite: one
// equivalence for loop's steps and the Python recipes.
describe('recipes/qwen2.5-math/grade.py uses loop data grade', { timeout: 120_000 }, () => {
  it("gives loop data grade's verdicts on every suite case, and metrics say so", async () => {
    const suite = loadEquivalenceSuite();
    const queries = path.join(dir, 'queries.jsonl');
    const samples = path.join(dir, 'samples.jsonl');
    writeFileSync(queries, jsonl(suite.map((c, i) => ({ id: `c${i}`, question: c.rule, answer: c.gold }))));
    writeFileSync(samples, jsonl(suite.map((c, i) => ({ id: `c${i}`, response: c.pred }))));
    const direct = path.join(dir, 'direct.jsonl');
    await gradeFiles({ queries: [queries], samples, out: direct, workers: 0 });
    const out = path.join(dir, 'py', 'graded.jsonl');
    const run = spawnSync(
      'python3',
      [path.join(root, 'recipes/qwen2.5-math/grade.py'), '--queries', queries, '--samples', samples, '--out', out],
      {
        env: { ...process.env, LOOP_BIN: `${process.execPath} ${path.join(root, 'bin/loop.mjs')}` },
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const viaPython = read(out);
    const viaLoop = read(direct);
    expect(viaPython.map((r) => [r.id, r.pred, r.correct])).toEqual(viaLoop.map((r) => [r.id, r.pred, r.correct ?? null]));
    const agreement = viaPython.filter((r, i) => r.correct === suite[i]!.expected).length / suite.length;
    expect(agreement).toBeGreaterThanOrEqual(0.97);
    const metrics = JSON.parse(readFileSync(path.join(dir, 'py', 'metrics.json'), 'utf8')) as Record<string, number>;
    expect(metrics.graded_by_loop).toBe(1);
  });
});
