import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapingPath } from '../../src/fs/escaping-path.ts';

// An output whose files lie outside the stage's folder fails the stage instead of being published.
describe('escapingPath', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'loop-escape-'));
    out = path.join(dir, 'out');
    mkdirSync(path.join(out, 'model', 'sub'), { recursive: true });
    writeFileSync(path.join(out, 'model', 'sub', 'w.bin'), 'w');
    writeFileSync(path.join(dir, 'secret'), 's');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts files and links that stay inside', () => {
    symlinkSync(path.join(out, 'model', 'sub', 'w.bin'), path.join(out, 'model', 'alias.bin'));
    expect(escapingPath(out, 'model')).toBeUndefined();
  });

  it('names a link pointing outside, however deep', () => {
    symlinkSync(path.join(dir, 'secret'), path.join(out, 'model', 'sub', 'leak'));
    expect(escapingPath(out, 'model')).toMatch(/^model\/sub\/leak points outside \{\{ out \}\}, to .*secret; copy the file/);
    symlinkSync(dir, path.join(out, 'up'));
    expect(escapingPath(out, 'up')).toMatch(/^up points outside/);
  });
});
