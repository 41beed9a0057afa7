import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteFiles, transferPlan } from '../../../../src/executors/wrappers/transfer/transfer-plan.ts';
import type { StageJob } from '../../../../src/executors/executor.ts';

const root = mkdtempSync(path.join(tmpdir(), 'loop-plan-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A project whose loop home lies inside the recipe folder (the default ./.loop), with an input outside it.
const recipeDir = path.join(root, 'project');
const runDir = path.join(recipeDir, '.loop/runs/r');
const outside = path.join(root, 'data/extra.jsonl');
const unnamed = path.join(root, 'data/unused.jsonl');
const sampled = path.join(runDir, 'iterations/1/sample/out');
const trained = path.join(runDir, 'iterations/0/train/out');
const out = path.join(runDir, 'iterations/1/score/out');
for (const dir of [sampled, trained, out, path.dirname(outside)]) mkdirSync(dir, { recursive: true });
writeFileSync(outside, '{}\n');
writeFileSync(unnamed, '{}\n');

function job(argv: string[]): StageJob {
  return {
    argv,
    cwd: recipeDir,
    logFile: path.join(runDir, 'iterations/1/score/log.txt'),
    env: { LOOP_RUN_DIR: runDir, LOOP_RECIPE_DIR: recipeDir, LOOP_OUT: out, MODEL: `${trained}/model.json` },
    controlPrefix: path.join(runDir, 'iterations/1/score/attempt-1'),
    inputs: { extra: outside, unused: unnamed, seed: path.join(recipeDir, 'data/seed.jsonl'), hub: 'hf://org/data' },
  };
}

describe('transferPlan', () => {
  it('sends the recipe folder without the loop home, the named inputs outside it, and the earlier outputs named', () => {
    const plan = transferPlan(
      job(['python', 'score.py', `--samples=${sampled}/samples.jsonl`, '--data', outside, '--out', `${out}/scored.jsonl`]),
      '/w',
    );
    expect(plan.recipeDir).toBe(recipeDir);
    expect(plan.excludes).toEqual([path.join(recipeDir, '.loop')]);
    expect(plan.inputs).toEqual([outside]);
    expect(plan.outputs).toEqual([trained, sampled]);
    expect(plan.roots).toEqual(expect.arrayContaining([runDir, recipeDir, outside, unnamed]));
    expect(plan.roots).not.toContain('hf://org/data');
  });

  it('puts the attempt files under the working directory, mirrored', () => {
    const files = remoteFiles(transferPlan(job(['true']), '/w'));
    expect(files.prefix).toBe(`/w${runDir}/iterations/1/score/attempt-1`);
    expect(files.logFile).toBe(`${files.prefix}.log`);
    expect(files.out).toBe(`/w${out}`);
  });
});
