import { describe, expect, it } from 'vitest';
import { LoopError } from '../../src/errors/loop-error.ts';
import { getExecutor } from '../../src/executors/registry.ts';

describe('getExecutor', () => {
  it('returns the local executor for "local"', () => {
    expect(getExecutor('local').kind).toBe('local');
  });

  it.each(['slurm', 'ssh'])('says how to run locally when asked for %s', (kind) => {
    let caught: unknown;
    try {
      getExecutor(kind);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LoopError);
    expect((caught as LoopError).code).toBe('E_EXECUTOR_UNAVAILABLE');
    expect((caught as LoopError).message).toContain(`executor "${kind}" is declared in the recipe schema but not yet available`);
    expect((caught as LoopError).message).toContain('--set executor.kind=local');
  });

  it('rejects an unknown kind with the same code', () => {
    expect(() => getExecutor('k8s')).toThrow(/unknown executor kind "k8s"/);
  });
});
