import { describe, expect, it } from 'vitest';
import { getExecutor } from '../../src/executors/registry.ts';
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
