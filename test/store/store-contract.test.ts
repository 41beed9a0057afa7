import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, fastSleep, type BackendUnderTest } from './backends.ts';
import { commitFiles } from '../../src/store/commit-files.ts';
import { collectOutputFiles } from '../../src/store/collect-output-files.ts';
import type { RepoRef, SourceFile } from '../../src/store/store-backend.ts';

const repo: RepoRef = { type: 'model', id: 'acme/run-sft' };
const data: RepoRef = { type: 'dataset', id: 'acme/run-data' };

// The same contract for every backend: what a revision holds after a commit, no commit when nothing changed,
// only changed files sent, branches and tags, stale parents refused, downloads byte for byte.
describe.each(BACKENDS)('the $name store backend', ({ make }) => {
  let t: BackendUnderTest;
  let dir: string;
  beforeEach(async () => {
    t = await make();
    dir = path.join(t.home, 'files');
    mkdirSync(dir, { recursive: true });
  });
  afterEach(() => t.close());

  const file = (name: string, content: string | Buffer): SourceFile => {
    const abs = path.join(dir, name.replaceAll('/', '_'));
    writeFileSync(abs, content);
    const bytes = readFileSync(abs);
    return { path: name, file: abs, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  const options = () => ({ backend: t.backend, sleep: fastSleep });
  const message = { title: 'run iteration 0: train_sft', description: 'run: run\niteration: 0\nstage: train_sft' };

  it('commits small and large files on a branch and reads them back with their sizes and hashes', async () => {
    await t.backend.ensureRepo(repo, { private: true });
    await t.backend.ensureBranch(repo, 'iter-0', 'main');
    const small = file('config.json', '{"a":1}');
    const large = file('weights/model.bin', Buffer.alloc(5000, 7));
    const made = await commitFiles(options(), repo, 'iter-0', [small, large], ['config.json', 'weights'], message);
    expect(made).toMatchObject({ changed: true, uploaded: 2 });
    const revision = await t.backend.read(repo, 'iter-0');
    expect(revision?.commit).toBe(made.commit);
    const listed = new Map(revision!.files.map((f) => [f.path, f]));
    expect(listed.get('config.json')?.size).toBe(small.size);
    expect(listed.get('weights/model.bin')).toMatchObject({ size: 5000, sha256: large.sha256 });
    const out = path.join(t.home, 'download', 'model.bin');
    await t.backend.download(repo, 'iter-0', 'weights/model.bin', out);
    expect(readFileSync(out).equals(Buffer.alloc(5000, 7))).toBe(true);
    expect((await t.backend.commits(repo, 'iter-0'))[0]).toMatchObject({ id: made.commit, title: message.title });
    // main is untouched by a commit on iter-0.
    expect((await t.backend.read(repo, 'main'))!.files.map((f) => f.path)).not.toContain('config.json');
  });

  it('makes no commit and sends nothing when the branch already holds the files', async () => {
    await t.backend.ensureRepo(data, { private: true });
    await t.backend.ensureBranch(data, 'iter-0', 'main');
    const files = [file('eval/predictions.jsonl', '{"x":1}\n'.repeat(40)), file('eval/small.txt', 'ok')];
    const first = await commitFiles(options(), data, 'iter-0', files, ['eval'], message);
    const before = await t.backend.commits(data, 'iter-0');
    const requestsBefore = t.emulator?.requests.length ?? 0;
    const again = await commitFiles(options(), data, 'iter-0', files, ['eval'], message);
    expect(again).toEqual({ commit: first.commit, changed: false, uploaded: 0 });
    expect(await t.backend.commits(data, 'iter-0')).toEqual(before);
    if (t.emulator) {
      const sent = t.emulator.requests.slice(requestsBefore);
      expect(sent.filter((r) => /PUT|\/commit\/|preupload|lfs/.test(r))).toEqual([]);
    }
  });

  it('sends only the changed file and deletes owned files the stage no longer writes', async () => {
    await t.backend.ensureRepo(repo, { private: true });
    await t.backend.ensureBranch(repo, 'iter-1', 'main');
    const keep = file('model/a.bin', Buffer.alloc(300, 1));
    await commitFiles(
      options(),
      repo,
      'iter-1',
      [keep, file('model/b.bin', Buffer.alloc(300, 2)), file('notes.txt', 'mine')],
      ['model'],
      message,
    );
    const changed = file('model/c.bin', Buffer.alloc(300, 3));
    const result = await commitFiles(options(), repo, 'iter-1', [keep, changed], ['model'], message);
    expect(result).toMatchObject({ changed: true, uploaded: 1 });
    const paths = (await t.backend.read(repo, 'iter-1'))!.files.map((f) => f.path).sort();
    // b.bin is gone (owned, not written any more); notes.txt stays (not owned by this stage).
    expect(paths).toEqual(
      ['model/a.bin', 'model/c.bin', 'notes.txt'].concat(paths.includes('.gitattributes') ? ['.gitattributes'] : []).sort(),
    );
  });

  it('moves branches and tags, and lists them', async () => {
    await t.backend.ensureRepo(repo, { private: true });
    await t.backend.ensureBranch(repo, 'iter-0', 'main');
    const c0 = await commitFiles(options(), repo, 'iter-0', [file('m.txt', 'zero')], ['m.txt'], message);
    await t.backend.ensureBranch(repo, 'iter-1', 'iter-0');
    await t.backend.ensureBranch(repo, 'iter-1', 'main'); // exists already: left as it is
    const c1 = await commitFiles(options(), repo, 'iter-1', [file('m.txt', 'one')], ['m.txt'], message);
    await t.backend.setBranch(repo, 'main', 'iter-1');
    await t.backend.setTag(repo, 'best', 'iter-0', 'best');
    await t.backend.setTag(repo, 'best', 'iter-1', 'best moved');
    await t.backend.setTag(repo, 'final', 'iter-1', 'final');
    const refs = await t.backend.refs(repo);
    expect(refs.branches).toMatchObject({ main: c1.commit, 'iter-0': c0.commit, 'iter-1': c1.commit });
    expect(refs.tags).toEqual({ best: c1.commit, final: c1.commit });
    // iter-1 grew from iter-0: its history holds both commits.
    expect((await t.backend.commits(repo, 'iter-1')).map((c) => c.id).slice(0, 2)).toEqual([c1.commit, c0.commit]);
    expect(await t.backend.read(repo, 'iter-9')).toBeNull();
  });

  it('refuses a commit computed against a branch head that has moved, and changes nothing', async () => {
    await t.backend.ensureRepo(repo, { private: true });
    await t.backend.ensureBranch(repo, 'iter-0', 'main');
    const stale = (await t.backend.read(repo, 'iter-0'))!.commit;
    const moved = await commitFiles(options(), repo, 'iter-0', [file('a.txt', 'a')], ['a.txt'], message);
    const b = file('b.txt', 'b');
    await expect(t.backend.commit(repo, 'iter-0', { ...message, add: [b], remove: [], parent: stale })).rejects.toMatchObject({
      code: 'E_STORE',
    });
    expect((await t.backend.read(repo, 'iter-0'))!.commit).toBe(moved.commit);
  });

  it('refuses outputs that leave the stage folder through a symbolic link', async () => {
    const out = path.join(t.home, 'out');
    mkdirSync(path.join(out, 'model'), { recursive: true });
    writeFileSync(path.join(out, 'model', 'ok.txt'), 'fine');
    writeFileSync(path.join(t.home, 'secret.txt'), 'outside');
    symlinkSync(path.join(t.home, 'secret.txt'), path.join(out, 'model', 'leak.txt'));
    await expect(collectOutputFiles(out, { model: 'model' }, '')).rejects.toThrow(/points outside the stage's output folder/);
    await expect(collectOutputFiles(out, { model: '../secret.txt' }, '')).rejects.toThrow(/leaves its folder/);
    await expect(collectOutputFiles(out, { model: '/etc/passwd' }, '')).rejects.toThrow(/leaves its folder/);
  });
});
