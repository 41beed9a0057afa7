import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashOutput } from '../../src/fs/hash-output.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('hashOutput', () => {
  it('hashes a file by its bytes', async () => {
    writeFileSync(path.join(dir, 'a.txt'), 'hello');
    expect(await hashOutput(path.join(dir, 'a.txt'))).toEqual({ bytes: 5, sha256: sha('hello') });
  });

  it('hashes a folder over its sorted relative paths, sizes and file hashes, following links to folders', async () => {
    const model = path.join(dir, 'model');
    mkdirSync(path.join(model, 'shards'), { recursive: true });
    writeFileSync(path.join(model, 'config.json'), '{}');
    writeFileSync(path.join(model, 'shards', 'w1'), 'abc');
    symlinkSync('shards', path.join(model, 'linked'));
    const expected = sha(
      [`config.json\0${2}\0${sha('{}')}\n`, `linked/w1\0${3}\0${sha('abc')}\n`, `shards/w1\0${3}\0${sha('abc')}\n`].join(''),
    );
    expect(await hashOutput(model)).toEqual({ bytes: 8, sha256: expected });
  });

  it('changes when one byte changes', async () => {
    const before = await hashOutput(path.join(dir, 'model'));
    writeFileSync(path.join(dir, 'model', 'shards', 'w1'), 'abd');
    expect((await hashOutput(path.join(dir, 'model'))).sha256).not.toBe(before.sha256);
  });
});
