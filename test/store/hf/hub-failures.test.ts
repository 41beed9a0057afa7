import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubEmulator, type HubEmulator } from '../../support/hub-emulator/hub-emulator.ts';
import { openBackend } from '../../../src/store/open-backend.ts';
import { commitFiles } from '../../../src/store/commit-files.ts';
import type { RepoRef, SourceFile, StoreBackend } from '../../../src/store/store-backend.ts';
import { fastSleep } from '../backends.ts';

const TOKEN = 'hf_failureTestToken9876543210';
const repo: RepoRef = { type: 'model', id: 'acme/run-sft' };
const message = { title: 'run iteration 0: train_sft', description: 'stage: train_sft' };

// The Hub backend when the Hub fails: refused tokens, missing repos, conflicts, server errors and connections
// dropped mid-upload. Failures are retried where that is safe; a commit lands whole or not at all; no message
// carries the token.
describe('the Hub backend against failures', () => {
  let emulator: HubEmulator;
  let dir: string;
  let retries: string[];
  beforeEach(async () => {
    emulator = await startHubEmulator({ tokens: [TOKEN], lfsThreshold: 64 });
    dir = mkdtempSync(path.join(tmpdir(), 'loop-hubfail-'));
    retries = [];
  });
  afterEach(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const backend = (token = TOKEN): StoreBackend =>
    openBackend({ kind: 'hf', namespace: 'acme', private: true, overlap: false, endpoint: emulator.url }, dir, {
      env: { HF_TOKEN: token },
      sleep: fastSleep,
      retryDelayMs: () => 5,
      onRetry: (what) => retries.push(what),
    });
  const file = (name: string, content: Buffer): SourceFile => {
    const abs = path.join(dir, name.replaceAll('/', '_'));
    writeFileSync(abs, content);
    return { path: name, file: abs, size: content.length, sha256: createHash('sha256').update(content).digest('hex') };
  };
  const ready = async (b: StoreBackend) => {
    await b.ensureRepo(repo, { private: true });
    await b.ensureBranch(repo, 'iter-0', 'main');
  };
  const commitsOn = (branch: string) => {
    const r = emulator.repos.get('models/acme/run-sft')!;
    let id: string | null | undefined = r.branches.get(branch);
    let n = 0;
    while (id) {
      n += 1;
      id = r.commits.get(id)?.parent;
    }
    return n;
  };

  it('401: a refused token is an E_STORE error that says to check HF_TOKEN and does not show it', async () => {
    const wrong = 'hf_wrongTokenValue11112222';
    const error = await backend(wrong)
      .ensureRepo(repo, { private: true })
      .then(
        () => new Error('no error'),
        (e: unknown) => e as Error,
      );
    expect(error).toMatchObject({ code: 'E_STORE' });
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).toMatch(/check HF_TOKEN/);
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(TOKEN);
  });

  it('404: a missing revision reads as absent; downloading from a missing repo says what to check', async () => {
    const b = backend();
    expect(await b.read(repo, 'iter-3')).toBeNull();
    await expect(b.download({ type: 'model', id: 'acme/nope' }, 'main', 'x.bin', path.join(dir, 'x'))).rejects.toMatchObject({
      code: 'E_STORE',
      message: expect.stringMatching(/HTTP 404.*check store.namespace/),
    });
  });

  it('409: a repo or branch that already exists is taken as it is', async () => {
    const b = backend();
    await ready(b);
    // repoExists answers 404 once, so createRepo runs and gets 409: still fine.
    emulator.faults.push({ method: 'GET', path: '/api/models/acme/run-sft', status: 404, times: 1 });
    await b.ensureRepo(repo, { private: true });
    await b.ensureBranch(repo, 'iter-0', 'main');
    expect(emulator.requests.filter((r) => r === 'POST /api/repos/create')).toHaveLength(2);
  });

  it('5xx then success: requests are retried and the commit is made once', async () => {
    const b = backend();
    await ready(b);
    emulator.faults.push({ path: '/preupload/', status: 503, times: 2 });
    emulator.faults.push({ method: 'PUT', path: '/_lfs/', status: 500, times: 1 });
    const made = await commitFiles(
      { backend: b, sleep: fastSleep },
      repo,
      'iter-0',
      [file('w.bin', Buffer.alloc(1000, 1))],
      ['w.bin'],
      message,
    );
    expect(made.changed).toBe(true);
    expect(retries.filter((r) => r.includes('preupload'))).toHaveLength(2);
    expect(retries.filter((r) => r.startsWith('PUT'))).toHaveLength(1);
    expect(commitsOn('iter-0')).toBe(2); // the repo's initial commit and this one
  });

  it('a failed commit request is retried from a fresh read, never doubled', async () => {
    const b = backend();
    await ready(b);
    emulator.faults.push({ method: 'POST', path: '/commit/iter-0', status: 502, times: 1 });
    await commitFiles({ backend: b, sleep: fastSleep }, repo, 'iter-0', [file('c.txt', Buffer.from('x'))], ['c.txt'], message);
    expect(emulator.requests.filter((r) => r.startsWith('POST /api/models/acme/run-sft/commit/'))).toHaveLength(2);
    expect(commitsOn('iter-0')).toBe(2);
  });

  it('a connection dropped mid-upload is retried and the file arrives whole', async () => {
    const b = backend();
    await ready(b);
    emulator.faults.push({ method: 'PUT', path: '/_lfs/', drop: true, times: 1 });
    const content = Buffer.alloc(200_000, 9);
    await commitFiles({ backend: b, sleep: fastSleep }, repo, 'iter-0', [file('big.bin', content)], ['big.bin'], message);
    expect(retries.some((r) => r.startsWith('PUT'))).toBe(true);
    await b.download(repo, 'iter-0', 'big.bin', path.join(dir, 'back.bin'));
    expect(createHash('sha256').update(content).digest('hex')).toBe(
      (await b.read(repo, 'iter-0'))!.files.find((f) => f.path === 'big.bin')!.sha256,
    );
  });

  it('an upload that keeps failing leaves no half-made commit: the branch is as it was', async () => {
    const b = backend();
    await ready(b);
    const before = emulator.repos.get('models/acme/run-sft')!.branches.get('iter-0');
    emulator.faults.push({ method: 'PUT', path: '/_lfs/', drop: true, times: 100 });
    const error = await commitFiles(
      { backend: b, sleep: fastSleep },
      repo,
      'iter-0',
      [file('small.txt', Buffer.from('first')), file('big.bin', Buffer.alloc(5000, 3))],
      ['small.txt', 'big.bin'],
      message,
    ).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'E_STORE' });
    expect(error.message).not.toContain(TOKEN);
    expect(emulator.repos.get('models/acme/run-sft')!.branches.get('iter-0')).toBe(before);
    expect((await b.read(repo, 'iter-0'))!.files.map((f) => f.path)).toEqual(['.gitattributes']);
  });

  it('refuses to start without HF_TOKEN, or with something that is not a Hub token', () => {
    const open = (env: NodeJS.ProcessEnv) => () =>
      openBackend({ kind: 'hf', namespace: 'acme', private: true, overlap: false }, dir, { env, sleep: fastSleep });
    expect(open({})).toThrow(/HF_TOKEN is not set/);
    expect(open({ HF_TOKEN: 'not-a-token-value' })).toThrow(/start with "hf_"/);
    expect(open({ HF_TOKEN: 'not-a-token-value' })).not.toThrow(/not-a-token-value/);
  });
});
