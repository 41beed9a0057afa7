import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeObject } from '../../../src/store/local/place-object.ts';
import { runCliAsync } from '../../helpers/run-cli-async.ts';

// The local store links a finished output instead of copying it (reflink, else hard link; a copy only across
// filesystems), read-only, and no later write reaches the stored bytes: checked on a real `loop run`.
const RECIPE = `name: linked
loop: evolve
stages:
  sample_rm: { command: [/bin/true] }
  train_rm: { command: [/bin/true] }
  sample_sft: { command: [/bin/true] }
  select: { command: [/bin/true] }
  train_sft:
    command: [sh, -c, 'mkdir -p "$0/model" && head -c 4194304 /dev/urandom > "$0/model/weights.bin"', "{{ out }}"]
    outputs: { model: model }
  eval: { command: [/bin/true] }
until:
  max_iterations: 0
`;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let home: string;
let weights: string;
let object: string;
beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'loop-linked-'));
  chmodSync(home, 0o755); // so the unprivileged writer below can reach the files
  writeFileSync(path.join(home, 'linked.yaml'), RECIPE);
  const run = await runCliAsync(['run', 'linked.yaml', '--home', home], { cwd: home });
  expect(run.code, run.stderr).toBe(0);
  const listed = await runCliAsync(['artifacts', 'linked', '--json', '--home', home], { cwd: home });
  const files = JSON.parse(listed.stdout) as Array<{ path: string; location: string; sha256: string }>;
  object = files.find((f) => f.path === 'weights.bin')!.location;
  weights = path.join(home, 'runs/linked/iterations/0/train_sft/out/model/weights.bin');
}, 60_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the local store', () => {
  it('holds a finished output without a second copy on the same filesystem, read-only', () => {
    const [stored, inRun] = [statSync(object), statSync(weights)];
    expect(sha256(object)).toBe(sha256(weights));
    // A hard link is the same inode; a reflink another inode sharing the blocks (copy-on-write).
    if (stored.ino === inRun.ino) expect(stored.nlink).toBe(2);
    else expect(placeObject(weights, path.join(home, 'probe'))).toBe('reflink');
    expect(stored.mode & 0o222).toBe(0);
  });

  it('keeps the stored bytes when a later stage attempt rewrites the output in place', () => {
    const before = sha256(object);
    // A writer without root's privilege (root ignores mode bits; the engine runs no stage as another user, so the
    // guard for root is the next step's fresh folder): writing in place into the read-only file fails.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const inPlace = spawnSync('sh', ['-c', 'printf XXXX | dd of="$0" conv=notrunc 2>&1', weights], { ...asUser, encoding: 'utf8' });
    expect(inPlace.status, inPlace.stdout).not.toBe(0);
    // A retry starts from a fresh out folder (the engine removes out/ first), so its in-place write makes a new file.
    const out = path.dirname(path.dirname(weights));
    rmSync(out, { recursive: true, force: true });
    mkdirSync(path.dirname(weights), { recursive: true });
    const retry = spawnSync('sh', ['-c', 'printf XXXX | dd of="$0" conv=notrunc 2>&1', weights], { encoding: 'utf8' });
    expect(retry.status, retry.stdout).toBe(0);
    expect(readFileSync(weights, 'utf8')).toBe('XXXX');
    expect(sha256(object)).toBe(before);
  });

  const shm = '/dev/shm';
  const otherFs = (() => {
    try {
      return statSync(shm).dev !== statSync(tmpdir()).dev;
    } catch {
      return false;
    }
  })();
  it.skipIf(!otherFs)('copies only across filesystems', () => {
    const dir = mkdtempSync(path.join(shm, 'loop-linked-'));
    try {
      const dest = path.join(dir, 'object');
      expect(placeObject(object, dest)).toBe('copy');
      expect([sha256(dest), statSync(dest).mode & 0o222]).toEqual([sha256(object), 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
