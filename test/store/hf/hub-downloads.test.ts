import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitFiles } from '../../../src/store/commit-files.ts';
import { openBackend } from '../../../src/store/open-backend.ts';
import { startHubEmulator, type HubEmulator } from '../../support/hub-emulator/hub-emulator.ts';
import { gitBlobOid, lfsPointer } from '../../support/hub-emulator/hub-state.ts';
import { fastSleep } from '../backends.ts';

// The emulator's download side as Python's huggingface_hub 2.4 reads it (file_download.get_hf_file_metadata,
// HfApi.model_info): these shapes are what python-clients.test.ts relies on, checked here without Python.
const TOKEN = 'hf_downloadsTestToken2468';
const auth = { Authorization: `Bearer ${TOKEN}` };
const repo = { type: 'model' as const, id: 'acme/m' };
const config = Buffer.from('{"model_type": "qwen2"}\n');
const weights = Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.alloc(2000, 7)]);
type RepoInfo = Record<string, unknown> & { siblings: unknown[] };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let emulator: HubEmulator;
let dir: string;
let head: string;
beforeAll(async () => {
  emulator = await startHubEmulator({ tokens: [TOKEN] });
  dir = mkdtempSync(path.join(tmpdir(), 'loop-hubdl-'));
  const backend = openBackend({ kind: 'hf', namespace: 'acme', private: true, overlap: false, endpoint: emulator.url }, dir, {
    env: { HF_TOKEN: TOKEN },
    sleep: fastSleep,
  });
  const files = [
    ['config.json', config],
    ['model.safetensors', weights],
    ['extra/sub/notes.txt', Buffer.from('n')],
  ].map(([name, content]) => {
    const file = path.join(dir, (name as string).replaceAll('/', '_'));
    writeFileSync(file, content as Buffer);
    return { path: name as string, file, size: (content as Buffer).length, sha256: sha256(content as Buffer) };
  });
  await backend.ensureRepo(repo, { private: true });
  await backend.ensureBranch(repo, 'iter-1', 'main');
  head = (await commitFiles({ backend, sleep: fastSleep }, repo, 'iter-1', files, [], { title: 'iteration 1', description: '' })).commit;
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Hub emulator for Python clients', () => {
  it('GET /api/models/{repo}/revision/{rev}: the commit as sha, the files as siblings (with blobs=true: size, blobId, lfs)', async () => {
    const info = (await (await fetch(`${emulator.url}/api/models/acme/m/revision/iter-1`, { headers: auth })).json()) as RepoInfo;
    expect(info).toMatchObject({ id: 'acme/m', sha: head, private: true });
    expect(info.siblings).toEqual([
      { rfilename: '.gitattributes' },
      { rfilename: 'config.json' },
      { rfilename: 'extra/sub/notes.txt' },
      { rfilename: 'model.safetensors' },
    ]);
    const blobs = (await (
      await fetch(`${emulator.url}/api/models/acme/m/revision/${head}?blobs=true`, { headers: auth })
    ).json()) as RepoInfo;
    expect(blobs.siblings[3]).toEqual({
      rfilename: 'model.safetensors',
      size: weights.length,
      blobId: gitBlobOid(lfsPointer(sha256(weights), weights.length)),
      lfs: { sha256: sha256(weights), size: weights.length, pointerSize: 134 },
    });
    const missing = await fetch(`${emulator.url}/api/models/acme/m/revision/iter-9`, { headers: auth });
    expect([missing.status, missing.headers.get('x-error-code')]).toEqual([404, 'RevisionNotFound']);
  });

  it('GET /api/models/{repo}/tree/{rev}: folders are entries too, every one on the way when recursive', async () => {
    const list = async (query: string) =>
      (
        (await (await fetch(`${emulator.url}/api/models/acme/m/tree/iter-1${query}`, { headers: auth })).json()) as Array<{
          type: string;
          path: string;
        }>
      )
        .map((e) => `${e.type} ${e.path}`)
        .sort();
    expect(await list('?recursive=true')).toEqual([
      'directory extra',
      'directory extra/sub',
      'file .gitattributes',
      'file config.json',
      'file extra/sub/notes.txt',
      'file model.safetensors',
    ]);
    expect(await list('')).toEqual(['directory extra', 'file .gitattributes', 'file config.json', 'file model.safetensors']);
    expect(await list('/extra?recursive=false')).toEqual(['directory extra/sub']);
  });

  it('HEAD resolve of a file kept in Git: 200 with X-Repo-Commit, ETag (blob id) and Content-Length', async () => {
    const res = await fetch(`${emulator.url}/acme/m/resolve/iter-1/config.json`, { method: 'HEAD', headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-repo-commit')).toBe(head);
    expect(res.headers.get('etag')).toBe(`"${gitBlobOid(config)}"`);
    expect(res.headers.get('content-length')).toBe(String(config.length));
  });

  it('resolve of an LFS file: 302 to a presigned storage link (another origin) with X-Linked-Etag and X-Linked-Size', async () => {
    const res = await fetch(`${emulator.url}/acme/m/resolve/iter-1/model.safetensors`, {
      method: 'HEAD',
      headers: auth,
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('x-repo-commit')).toBe(head);
    expect(res.headers.get('x-linked-etag')).toBe(`"${sha256(weights)}"`);
    expect(res.headers.get('x-linked-size')).toBe(String(weights.length));
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(emulator.cdnUrl);
    expect(location.origin).not.toBe(emulator.url);
    // The link needs no token, its signature does the work; a token sent along is refused (S3 allows one auth
    // mechanism), so a client that forwarded it off the Hub would fail here.
    expect((await fetch(location, { headers: auth })).status).toBe(400);
    const bytes = await fetch(location);
    expect([bytes.status, bytes.headers.get('etag')]).toEqual([200, `"${sha256(weights)}"`]);
    expect(Buffer.from(await bytes.arrayBuffer()).equals(weights)).toBe(true);
    const ranged = await fetch(location, { headers: { Range: 'bytes=0-3' } });
    expect([ranged.status, ranged.headers.get('content-range')]).toEqual([206, `bytes 0-3/${weights.length}`]);
    location.searchParams.set('sig', '0'.repeat(64));
    expect((await fetch(location)).status).toBe(403);
  });

  it('raw of an LFS file serves the pointer Git holds; a missing file is a 404 EntryNotFound that still names the commit', async () => {
    const raw = await fetch(`${emulator.url}/acme/m/raw/iter-1/model.safetensors`, { headers: auth });
    expect(await raw.text()).toBe(lfsPointer(sha256(weights), weights.length).toString());
    const missing = await fetch(`${emulator.url}/acme/m/resolve/iter-1/adapter_config.json`, { method: 'HEAD', headers: auth });
    expect([missing.status, missing.headers.get('x-error-code'), missing.headers.get('x-repo-commit')]).toEqual([
      404,
      'EntryNotFound',
      head,
    ]);
    const anonymous = await fetch(`${emulator.url}/acme/m/resolve/iter-1/config.json`, { method: 'HEAD' });
    expect(anonymous.status).toBe(401);
  });
});
