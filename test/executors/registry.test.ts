import { describe, expect, it } from 'vitest';
import { getExecutor } from '../../src/executors/registry.ts';

describe('getExecutor', () => {
  it.each(['local', 'slurm', 'ssh'])('returns the %s executor, the same one each time', (kind) => {
    expect(getExecutor(kind).kind).toBe(kind);
    expect(getExecutor(kind)).toBe(getExecutor(kind));
  });

  it('rejects an unknown kind, listing the known ones', () => {
    expect(() => getExecutor('k8s')).toThrow('unknown executor kind "k8s"; known kinds: local, slurm, ssh. Use `--set executor.kind=local` to run locally');
  });
});
