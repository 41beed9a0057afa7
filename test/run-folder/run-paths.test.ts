import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPaths } from '../../src/run-folder/run-paths.ts';
import { UsageError } from '../../src/errors/loop-error.ts';

// Issue 20, item 1: the paths of a run are built only from a checked name, and each stays inside its root.
describe('runPaths', () => {
  it('builds a run folder from a valid name', () => {
    const p = runPaths('/h', 'q.seed-1');
    expect(p.root).toBe(path.join('/h', 'runs', 'q.seed-1'));
    expect(p.stageLog(2, 'eval')).toBe(path.join('/h', 'runs', 'q.seed-1', 'iterations', '2', 'eval', 'log.txt'));
  });

  it.each(['../x', '..', '/etc', 'a/b', '.hidden', '', 'x'.repeat(201)])('refuses the name %j before building a path', (name) => {
    expect(() => runPaths('/h', name)).toThrow(UsageError);
  });

  it('refuses a stage name that would lead outside its iteration', () => {
    const p = runPaths('/h', 'q');
    expect(() => p.stage(1, '../../../evil')).toThrow(/would lead outside/);
    expect(() => p.stageOut(1, '..')).toThrow(/would lead outside/);
  });
});
