import { describe, expect, it } from 'vitest';
import { remotePath, rewritePaths } from '../../../../src/executors/wrappers/transfer/remote-path.ts';

describe('remotePath and rewritePaths', () => {
  const roots = ['/home/me/runs/r', '/home/me/recipes', '/data/in.jsonl'];

  it('mirrors a local absolute path under the working directory', () => {
    expect(remotePath('/scratch/loop', '/home/me/recipes')).toBe('/scratch/loop/home/me/recipes');
  });

  it('rewrites whole roots wherever an argument names them: alone, inside a path, after = or : or a space', () => {
    expect(rewritePaths('/home/me/recipes/train.py', roots, '/w')).toBe('/w/home/me/recipes/train.py');
    expect(rewritePaths('--model=/home/me/runs/r/iterations/1/train_sft/out/model', roots, '/w')).toBe(
      '--model=/w/home/me/runs/r/iterations/1/train_sft/out/model',
    );
    expect(rewritePaths('a:/data/in.jsonl b /home/me/runs/r', roots, '/w')).toBe('a:/w/data/in.jsonl b /w/home/me/runs/r');
  });

  it('leaves other paths alone: a longer name sharing a prefix, a root inside another path, system programs', () => {
    expect(rewritePaths('/home/me/recipes2/x', roots, '/w')).toBe('/home/me/recipes2/x');
    expect(rewritePaths('/other/home/me/recipes', roots, '/w')).toBe('/other/home/me/recipes');
    expect(rewritePaths('/usr/bin/python3', roots, '/w')).toBe('/usr/bin/python3');
  });

  it('prefers the longest root (a run folder inside the recipe folder is rewritten once)', () => {
    expect(rewritePaths('/p/.loop/runs/r/x', ['/p', '/p/.loop/runs/r'], '/w')).toBe('/w/p/.loop/runs/r/x');
  });
});
