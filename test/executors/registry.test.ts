import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getBackend, getExecutor } from '../../src/executors/registry.ts';
import { isShardedExecutor } from '../../src/executors/shards/run-shards.ts';
import { limitExecutors } from '../../src/executors/wrappers/limits/limit-executors.ts';

describe('getExecutor', () => {
  it.each(['local', 'slurm', 'ssh'])('returns the %s executor, the same one each time', (kind) => {
    expect(getExecutor(kind).kind).toBe(kind);
    expect(getExecutor(kind)).toBe(getExecutor(kind));
  });

  it('keeps what the wrappers around each backend must not hide: Slurm job arrays, local stages on this host', () => {
    expect(isShardedExecutor(getExecutor('slurm'))).toBe(true);
    expect(isShardedExecutor(limitExecutors(getExecutor, { slurm: 2 })('slurm'))).toBe(true);
    expect(getExecutor('local').sharesControllerHost).toBe(true);
    expect(limitExecutors(getExecutor, { local: 1 })('local').sharesControllerHost).toBe(true);
    expect(getExecutor('ssh').sharesControllerHost).toBeFalsy();
  });

  it('rejects an unknown kind, listing the known ones', () => {
    expect(() => getExecutor('k8s')).toThrow(
      'unknown executor kind "k8s"; known kinds: local, slurm, ssh. Use `--set executor.kind=local` to run locally',
    );
  });
});

describe('backend folders', () => {
  // Every folder of src/executors/ is a backend except these: the shared toolkit, sharding, and the wrappers.
  const NOT_BACKENDS = ['common', 'shards', 'wrappers'];
  const root = path.resolve('src/executors');
  const backends = readdirSync(root).filter((name) => statSync(path.join(root, name)).isDirectory() && !NOT_BACKENDS.includes(name));

  it.each(backends)('%s has the shape of a backend: backend.ts registered under its name, run-KIND.ts', (kind) => {
    expect(existsSync(path.join(root, kind, 'backend.ts'))).toBe(true);
    expect(existsSync(path.join(root, kind, `run-${kind}.ts`))).toBe(true);
    expect(getBackend(kind).kind).toBe(kind);
  });
});
