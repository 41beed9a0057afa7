import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../../support/hub-emulator/hub-emulator.ts';
import { openBackend } from '../../../src/store/open-backend.ts';
import { commitFiles } from '../../../src/store/commit-files.ts';
import { parseHfUrl } from '../../../src/store/hf/parse-hf-url.ts';
import type { SourceFile } from '../../../src/store/store-backend.ts';
import { fixtureRecipe, useFixtures } from '../../helpers/fixture-run.ts';
import { runCliAsync } from '../../helpers/run-cli-async.ts';
import { fastSleep } from '../backends.ts';

const TOKEN = 'hf_inputsTestToken55667788';
const fixture = useFixtures();
let emulator: HubEmulator;
beforeAll(async () => {
  emulator = await startHubEmulator({ tokens: [TOKEN], lfsThreshold: 1000 });
});
afterAll(() => emulator.close());

describe('parseHfUrl', () => {
  it('reads repo type, id, revision and path', () => {
    expect(parseHfUrl('hf://datasets/acme/seed@main/data/sft.jsonl')).toEqual({
      repo: { type: 'dataset', id: 'acme/seed' },
      revision: 'main',
      path: 'data/sft.jsonl',
    });
    expect(parseHfUrl('hf://acme/base@v1/cfg/')).toEqual({ repo: { type: 'model', id: 'acme/base' }, revision: 'v1', path: 'cfg' });
    expect(parseHfUrl('hf://acme/base')).toEqual({ repo: { type: 'model', id: 'acme/base' }, revision: 'main', path: '' });
    expect(() => parseHfUrl('hf://acme')).toThrow(/not a Hub URL/);
    expect(() => parseHfUrl('hf://acme/base@main/../x')).toThrow(/must not contain/);
  });
});

// Inputs on the Hub: fetched once into the run folder, and the stages get local paths.
describe('hf:// inputs', () => {
  it('downloads a file and a folder at a revision and hands the stage the local path', { timeout: 120_000 }, async () => {
    const f = fixture(
      fixtureRecipe({ maxIterations: 0 }).replace(
        'inputs: { seed_data: stage.sh }',
        'inputs:\n  seed_data: hf://datasets/acme/seed@main/data/sft.jsonl\n  config: hf://acme/base@v1/cfg',
      ),
    );
    const backend = openBackend({ kind: 'hf', namespace: 'acme', private: true, overlap: false, endpoint: emulator.url }, f.dir, {
      env: { HF_TOKEN: TOKEN },
      sleep: fastSleep,
    });
    const file = (name: string, content: string): SourceFile => {
      const abs = path.join(f.dir, 'up', name.replaceAll('/', '_'));
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      return { path: name, file: abs, size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') };
    };
    const seed = { type: 'dataset' as const, id: 'acme/seed' };
    const base = { type: 'model' as const, id: 'acme/base' };
    await backend.ensureRepo(seed, { private: true });
    await commitFiles(
      { backend, sleep: fastSleep },
      seed,
      'main',
      [file('data/sft.jsonl', '{"q":"1+1","a":"2"}\n'.repeat(100))],
      ['data'],
      { title: 'seed', description: '' },
    );
    await backend.ensureRepo(base, { private: true });
    await commitFiles(
      { backend, sleep: fastSleep },
      base,
      'main',
      [file('cfg/a.json', '{"v":1}'), file('cfg/sub/b.json', '{"v":2}')],
      ['cfg'],
      { title: 'v1', description: '' },
    );
    await backend.setTag(base, 'v1', 'main', 'v1');
    await commitFiles({ backend, sleep: fastSleep }, base, 'main', [file('cfg/a.json', '{"v":"later"}')], [], {
      title: 'later',
      description: '',
    });

    const env = { HF_ENDPOINT: emulator.url, HF_TOKEN: TOKEN };
    const run = await runCliAsync(['run', f.recipeFile, '--name', 'h', '--home', path.join(f.dir, 'home')], { cwd: f.dir, env });
    expect(run.code, run.stderr).toBe(0);
    const runDir = path.join(f.dir, 'home', 'runs', 'h');
    const local = path.join(runDir, 'inputs', 'seed_data', 'sft.jsonl');
    expect(readFileSync(local, 'utf8')).toBe('{"q":"1+1","a":"2"}\n'.repeat(100));
    const args = readFileSync(path.join(runDir, 'iterations', '0', 'train_sft', 'out', 'args.txt'), 'utf8').split('\n');
    expect(args[0]).toBe(local);
    // The folder at tag v1, not main's later content.
    expect(readFileSync(path.join(runDir, 'inputs', 'config', 'cfg', 'a.json'), 'utf8')).toBe('{"v":1}');
    expect(readFileSync(path.join(runDir, 'inputs', 'config', 'cfg', 'sub', 'b.json'), 'utf8')).toBe('{"v":2}');
    expect(run.stderr).toMatch(/input seed_data: downloaded 1 file/);
  });
});
