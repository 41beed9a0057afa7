import { describe, expect, it } from 'vitest';
import { gridCombinations, parseGrid } from '../../src/sweep/parse-grid.ts';
import { sweepRunName } from '../../src/sweep/sweep-run-name.ts';

describe('sweep grids', () => {
  it('makes every combination, the first axis varying slowest', () => {
    const axes = parseGrid(['vars.top_k=2,4', 'seed=1, 2,3']);
    expect(axes).toEqual([
      { path: 'vars.top_k', values: ['2', '4'] },
      { path: 'seed', values: ['1', '2', '3'] },
    ]);
    const combos = gridCombinations(axes);
    expect(combos).toHaveLength(6);
    expect(combos[0]).toEqual({ 'vars.top_k': '2', seed: '1' });
    expect(combos[5]).toEqual({ 'vars.top_k': '4', seed: '3' });
  });

  it('refuses a missing grid, a malformed one, a repeated value or path, each naming the fix', () => {
    expect(() => parseGrid([])).toThrow('needs at least one --grid');
    expect(() => parseGrid(['top_k'])).toThrow('--grid "top_k" is not PATH=V1,V2');
    expect(() => parseGrid(['a..b=1'])).toThrow('is not PATH=V1,V2');
    expect(() => parseGrid(['seed=1,,2'])).toThrow('is not PATH=V1,V2');
    expect(() => parseGrid(['seed=1,1'])).toThrow('repeats a value');
    expect(() => parseGrid(['seed=1', 'seed=2'])).toThrow('--grid seed is given twice');
  });

  it('names runs from their values, by last key unless two axes share it, folder-safe', () => {
    const axes = parseGrid(['vars.top_k=2', 'stages.train_sft.resources.gpus=1', 'vars.vote=soft max']);
    expect(sweepRunName('qs', axes, { 'vars.top_k': '2', 'stages.train_sft.resources.gpus': '1', 'vars.vote': 'soft max' })).toBe(
      'qs.top_k-2.gpus-1.vote-soft_max',
    );
    const clash = parseGrid(['stages.eval.retry.attempts=1', 'stages.train_sft.retry.attempts=2']);
    expect(sweepRunName('s', clash, { 'stages.eval.retry.attempts': '1', 'stages.train_sft.retry.attempts': '2' })).toBe(
      's.stages_eval_retry_attempts-1.stages_train_sft_retry_attempts-2',
    );
  });
});
