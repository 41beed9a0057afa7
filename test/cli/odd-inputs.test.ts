import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { MINIMAL_RECIPE } from '../helpers/minimal-recipe.ts';

// Issue 20, item 6: odd inputs end in a message that says what is wrong, never an internal error.
describe('odd inputs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-odd-'));
  writeFileSync(path.join(dir, 'q.jsonl'), '\uFEFF{"id":"q1","question":"1+1","answer":"2"}\n');
  writeFileSync(path.join(dir, 'r.yaml'), MINIMAL_RECIPE);

  it('grade: a sample with "rm": 1e999 is refused (exit 7, file and line), not written as null', () => {
    writeFileSync(path.join(dir, 's.jsonl'), '{"id":"q1","response":"\\\\boxed{2}","rm":1e999}\n');
    const r = runCli(['data', 'grade', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', 'g.jsonl'], { cwd: dir });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(7);
    expect(r.stderr.trim()).toBe(
      'loop: s.jsonl:1: malformed line (a number out of range: past ±1.8e308); ' +
        'fix the line, or pass --skip-bad to skip and count such lines',
    );
  });

  it('grade: queries starting with a byte-order mark are read whole', () => {
    writeFileSync(path.join(dir, 's.jsonl'), '{"id":"q1","response":"\\\\boxed{2}"}\n');
    const r = runCli(['data', 'grade', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', 'g.jsonl', '--skip-bad', '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ correct: 1, labeled: 1, bad: 0 });
  });

  it('--set x=1e400 says the number is out of range', () => {
    const r = runCli(['plan', 'r.yaml', '--set', 'until.max_iterations=1e400'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('null');
    expect(r.stderr).toContain('"1e400" is out of range for a number');
  });

  it('a YAML alias bomb says the recipe has too many aliases', () => {
    // Ten levels of nine aliases each: a billion-laughs recipe.
    const levels = 'abcdefghij'.split('');
    const bomb = levels.map(
      (k, i) =>
        `  ${k}: &${k} [${Array(9)
          .fill(i === 0 ? 'x' : `*${levels[i - 1]}`)
          .join(', ')}]`,
    );
    writeFileSync(path.join(dir, 'bomb.yaml'), `${MINIMAL_RECIPE}bomb:\n${bomb.join('\n')}\n`);
    const r = runCli(['plan', 'bomb.yaml'], { cwd: dir });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the recipe has too many aliases');
    expect(r.stderr).not.toContain('define each anchor');
  });

  it('plan warns about a local stage program that does not exist or is not executable', () => {
    writeFileSync(path.join(dir, 'tool.sh'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'tool.sh'), 0o644);
    const recipe = MINIMAL_RECIPE.replace('command: [python, rm.py', 'command: ["{{ recipe_dir }}/tool.sh", rm.py').replace(
      'command: [python, eval.py',
      'command: [no-such-program-xyz, eval.py',
    );
    writeFileSync(path.join(dir, 'p.yaml'), recipe);
    const r = runCli(['plan', 'p.yaml'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(r.code).toBe(0);
    const warnings = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('python'));
    expect(warnings).toEqual([
      `loop: warning: stage train_rm: program not executable (permission denied): ${path.join(dir, 'tool.sh')}`,
      'loop: warning: stage eval: program not found: no-such-program-xyz',
    ]);
  });
});
