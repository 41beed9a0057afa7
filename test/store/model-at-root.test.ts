import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_REPO_FILES, outputAtRoot } from '../../src/store/artifact-layout.ts';
import { collectOutputFiles } from '../../src/store/collect-output-files.ts';
import { planChange } from '../../src/store/plan-change.ts';

// A model stage's folder goes at the root of its repo, so `from_pretrained(REPO, revision="iter-N")` and `loop pull`
// give the folder transformers loads (docs/artifacts.md).
const out = mkdtempSync(path.join(tmpdir(), 'loop-atroot-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
mkdirSync(path.join(out, 'model', 'sub'), { recursive: true });
writeFileSync(path.join(out, 'model', 'config.json'), '{}');
writeFileSync(path.join(out, 'model', 'sub', 'extra.txt'), 'x');
writeFileSync(path.join(out, 'policy.json'), '{}');

describe('a model folder at the root of its repo', () => {
  it("is the model stage's only output when that output is a folder", () => {
    expect(outputAtRoot('train_sft', { model: 'model' }, out)).toBe('model');
    expect(outputAtRoot('train_rm', { model: 'model/' }, out)).toBe('model');
    expect(outputAtRoot('train_sft', { model: 'policy.json' }, out)).toBeUndefined();
    expect(outputAtRoot('train_sft', { model: 'model', log: 'policy.json' }, out)).toBeUndefined();
    expect(outputAtRoot('select', { data: 'model' }, out)).toBeUndefined();
  });

  it("its files lose the folder's name; other outputs keep theirs", async () => {
    const files = await collectOutputFiles(out, { model: 'model' }, '', 'model');
    expect(files.map((f) => f.path)).toEqual(['config.json', 'sub/extra.txt']);
    const kept = await collectOutputFiles(out, { model: 'model' }, '');
    expect(kept.map((f) => f.path)).toEqual(['model/config.json', 'model/sub/extra.txt']);
  });

  it('owns every file of the repo but the card: a shard the new folder lacks is deleted, README.md stays', () => {
    const stored = {
      commit: 'c',
      files: ['README.md', '.gitattributes', 'config.json', 'model-00002-of-00002.safetensors'].map((p) => ({
        path: p,
        size: 1,
        sha256: 'x',
      })),
    };
    const sources = [{ path: 'config.json', file: path.join(out, 'model', 'config.json'), size: 2, sha256: 'y' }];
    expect(planChange(stored, sources, { allBut: MODEL_REPO_FILES })).toEqual({
      add: sources,
      remove: ['model-00002-of-00002.safetensors'],
    });
  });
});
