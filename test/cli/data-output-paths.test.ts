import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

// Issue 20, items 2 and 5: an output equal to an input (however spelled) or naming a folder is refused with one line,
// exit 2, and every file is left as it was.
describe('loop data: outputs that would destroy inputs, outputs that are folders', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loop-data-paths-'));
  const queries = '{"id":"q1","question":"1+1","answer":"2"}\n{"id":"q2","question":"2+2","answer":"4"}\n';
  const samples =
    [1, 2, 3, 4, 5]
      .map((i) => JSON.stringify({ id: i % 2 ? 'q1' : 'q2', response: `\\boxed{${i}} text number ${i} of the sample`, rm: i / 10 }))
      .join('\n') + '\n';
  const files: Record<string, string> = { 'q.jsonl': queries, 's.jsonl': samples, 'x.jsonl': samples };
  const reset = () => {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  };
  reset();
  mkdirSync(path.join(dir, 'folder'));
  symlinkSync(path.join(dir, 's.jsonl'), path.join(dir, 'link.jsonl'));
  linkSync(path.join(dir, 'x.jsonl'), path.join(dir, 'hard.jsonl'));

  const clobbers: Array<[string, string[]]> = [
    ['grade --out = --queries', ['data', 'grade', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', './q.jsonl']],
    [
      'grade --metrics = --samples (symlink)',
      ['data', 'grade', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', 'o.jsonl', '--metrics', 'link.jsonl'],
    ],
    ['decontaminate --out = --train = --test', ['data', 'decontaminate', '--train', 'x.jsonl', '--test', 'x.jsonl', '--out', 'x.jsonl']],
    [
      'dedup --removed = --in',
      ['data', 'dedup', '--in', 'x.jsonl', '--out', 'o.jsonl', '--removed', '../' + path.basename(dir) + '/x.jsonl'],
    ],
    ['dedup --out = --in (hard link)', ['data', 'dedup', '--in', 'x.jsonl', '--out', 'hard.jsonl']],
    ['select --out = --samples', ['data', 'select', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--top-k', '1', '--out', 's.jsonl']],
    [
      'select --votes = --out',
      ['data', 'select', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', 'o.jsonl', '--votes', 'o.jsonl'],
    ],
    ['vote --out = --queries', ['data', 'vote', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', 'q.jsonl']],
    ['reward --out = --samples', ['data', 'reward', '--samples', 's.jsonl', '--out', 's.jsonl']],
    ['rm-data --out = --queries', ['data', 'rm-data', '--samples', 's.jsonl', '--queries', 'q.jsonl', '--out', 'q.jsonl']],
    ['rl-filter --metrics = --samples', ['data', 'rl-filter', '--samples', 's.jsonl', '--out', 'o.jsonl', '--metrics', 's.jsonl']],
  ];
  it.each(clobbers)('%s: exit 2, one line, the input untouched', (_label, args) => {
    reset();
    const r = runCli(args, { cwd: dir });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^loop: --[a-z]+ \S+ is the same file as --[a-z]+ \S+; writing it would destroy it: choose another --[a-z]+$/,
    );
    for (const [name, text] of Object.entries(files)) expect(readFileSync(path.join(dir, name), 'utf8')).toBe(text);
  });

  const folders: Array<[string, string[]]> = [
    ['grade', ['data', 'grade', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', 'folder']],
    ['select', ['data', 'select', '--queries', 'q.jsonl', '--samples', 's.jsonl', '--out', 'folder']],
    ['dedup', ['data', 'dedup', '--in', 'x.jsonl', '--out', 'folder']],
    ['decontaminate', ['data', 'decontaminate', '--train', 'x.jsonl', '--test', 'q.jsonl', '--out', 'folder/']],
  ];
  it.each(folders)('%s --out FOLDER: exit 2, one line', (_label, args) => {
    const r = runCli(args, { cwd: dir });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^loop: --out folder\/? is a folder; name the file to write, e\.g\. folder\/out\.jsonl$/);
  });

  it('distinct files still work', () => {
    const r = runCli(['data', 'dedup', '--in', 'x.jsonl', '--out', 'kept.jsonl', '--removed', 'removed.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
  });
});
