import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestCommand, parseManifest } from '../../../../src/executors/wrappers/transfer/remote-manifest.ts';
import { verifyCopy } from '../../../../src/executors/wrappers/transfer/verify-copy.ts';

const root = mkdtempSync(path.join(tmpdir(), 'loop-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The manifest as the host's shell prints it (the same command, run by sh here).
function manifestOf(dir: string) {
  return parseManifest(execFileSync('sh', ['-c', manifestCommand(dir)], { encoding: 'utf8' }));
}

describe('manifestCommand, parseManifest and verifyCopy', () => {
  const host = path.join(root, 'host');
  mkdirSync(path.join(host, 'model dir'), { recursive: true });
  writeFileSync(path.join(host, 'metrics.json'), '{"loss": 1}\n');
  writeFileSync(path.join(host, 'model dir/weights.bin'), Buffer.alloc(1000, 7));

  it('lists every file with its size and sha256', () => {
    const manifest = manifestOf(host);
    expect([...manifest.keys()].sort()).toEqual(['metrics.json', 'model dir/weights.bin']);
    expect(manifest.get('model dir/weights.bin')).toEqual({ size: 1000, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('accepts an exact copy and names a truncated file, a changed one, a missing one and an extra one', async () => {
    const manifest = manifestOf(host);
    const copy = path.join(root, 'copy');
    execFileSync('cp', ['-a', `${host}/.`, copy]);
    expect(await verifyCopy(manifest, copy)).toBeUndefined();
    truncateSync(path.join(copy, 'model dir/weights.bin'), 600);
    expect(await verifyCopy(manifest, copy)).toBe('model dir/weights.bin has 600 bytes, the host has 1000');
    writeFileSync(path.join(copy, 'model dir/weights.bin'), Buffer.alloc(1000, 8));
    expect(await verifyCopy(manifest, copy)).toBe("model dir/weights.bin differs from the host's copy (sha256)");
    rmSync(path.join(copy, 'metrics.json'));
    writeFileSync(path.join(copy, 'stray.txt'), 'x');
    expect(await verifyCopy(manifest, copy)).toBe(
      "metrics.json is missing; model dir/weights.bin differs from the host's copy (sha256); stray.txt is not on the host",
    );
  });
});
