// `loop data grade|select|vote` as a user runs them: real processes, real files, exit codes and messages.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { jsonlWorkspace } from '../data/write-jsonl-fixture.ts';

const ws = jsonlWorkspace('loop-data-cli-');
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));
const cli = (args: string[]) => runCli(['data', ...args], { cwd: ws.dir });

const queries = ws.write('q.jsonl', [
  { id: 'a', question: '1+1?', answer: '2' },
  { id: 'b', question: 'half?', answer: '\\dfrac{1}{2}' },
  { id: 'u', question: 'unlabeled' },
]);
const samples = ws.write('s.jsonl', [
  { id: 'a', response: 'It is 2.\n#### 2', rm: 1, keep: 'me' },
  { id: 'a', response: 'The answer is 3.', rm: 2 },
  { id: 'b', response: '$\\boxed{0.5}$', rm: 0 },
  { id: 'u', response: '\\boxed{4}', rm: 0 },
]);

describe('loop data grade|select|vote', () => {
  it('each has --help', () => {
    for (const name of ['grade', 'select', 'vote']) {
      const r = cli([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: loop data ${name}`));
    }
  });

  it('grade adds pred and correct, keeps unknown fields, prints statistics, writes metrics', () => {
    const r = cli([
      'grade',
      '--queries',
      queries,
      '--samples',
      samples,
      '--out',
      ws.path('g.jsonl'),
      '--metrics',
      ws.path('metrics.json'),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ samples: 4, labeled: 3, correct: 2, unlabeled: 1, accuracy: 2 / 3 });
    expect(ws.read('g.jsonl')).toEqual([
      { id: 'a', response: 'It is 2.\n#### 2', rm: 1, keep: 'me', pred: '2', correct: true },
      { id: 'a', response: 'The answer is 3.', rm: 2, pred: '3', correct: false },
      { id: 'b', response: '$\\boxed{0.5}$', rm: 0, pred: '0.5', correct: true },
      { id: 'u', response: '\\boxed{4}', rm: 0, pred: '4' },
    ]);
    expect(JSON.parse(readFileSync(ws.path('metrics.json'), 'utf8'))).toMatchObject({ accuracy: 0.6667, responses: 4, correct: 2 });
  });

  it('a malformed line stops with its file and line number (exit 7, no stack trace, no output file); --skip-bad counts it', () => {
    writeFileSync(ws.path('bad.jsonl'), `${JSON.stringify({ id: 'a', response: '2' })}\n{"id": "a", "resp\n`);
    const r = cli(['grade', '--queries', queries, '--samples', ws.path('bad.jsonl'), '--out', ws.path('bad-out.jsonl')]);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/bad\.jsonl:2: malformed line .*--skip-bad/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(ws.path('bad-out.jsonl'))).toThrow();
    const skip = cli(['grade', '--queries', queries, '--samples', ws.path('bad.jsonl'), '--out', ws.path('bad-out.jsonl'), '--skip-bad']);
    expect(skip.code, skip.stderr).toBe(0);
    expect(skip.stdout).toMatch(/skipped 1 bad lines/);
  });

  it('select prints its statistics and keeps the chosen samples', () => {
    const r = cli(['select', '--queries', queries, '--samples', samples, '--top-k', '1', '--out', ws.path('sel.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/kept 3 responses from 3\/3 queries/);
    expect(r.stdout).toMatch(/vote margin mean 1\.000/);
    expect(ws.read('sel.jsonl').map((s) => s.response)).toEqual(['It is 2.\n#### 2', '$\\boxed{0.5}$', '\\boxed{4}']);
  });

  it('vote prints JSON', () => {
    const r = cli(['vote', '--queries', queries, '--samples', samples]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ queries: 2, majAtK: 1, rmAtK: 0.5, passAtK: 1 });
  });

  it('bad flags exit 2 and name the fix', () => {
    const r = cli(['select', '--queries', queries, '--samples', samples, '--out', ws.path('x.jsonl'), '--weighting', 'median']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--weighting must be one of raw, sigmoid, softmax, got "median"/);
    expect(cli(['grade', '--queries', queries, '--samples', samples]).stderr).toMatch(/needs --out/);
    expect(cli(['vote', '--bogus']).code).toBe(2);
  });
});
