// Grading on real data (test/fixtures/data, copied from the project's shared data sets): reference answers extracted from GSM8K's
// `#### N` and MATH's `\boxed{}`, graded against themselves, rewritten equivalently, and perturbed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../../../src/data/grade/grade-files.ts';
import { extractAnswer } from '../../../src/data/grade/extract-answer.ts';

const fixtures = path.resolve('test/fixtures/data');
const work = mkdtempSync(path.join(tmpdir(), 'loop-grade-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Row = Record<string, unknown>;
const read = (file: string): Row[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row);
const write = (name: string, rows: Row[]): string => {
  const file = path.join(work, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
};
// Changes the first digit (a relative change far above the 1e-4 tolerance).
const bumpFirstDigit = (s: string): string | null => {
  const m = /\d/.exec(s);
  return m ? s.slice(0, m.index) + String((Number(m[0]) + 1) % 10) + s.slice(m.index + 1) : null;
};

describe('grading GSM8K (test, 200 rows)', () => {
  const gsm = read(path.join(fixtures, 'gsm8k-test-200.jsonl'));
  const queries = write(
    'gsm-q.jsonl',
    gsm.map((r, i) => ({ id: `g${i}`, question: r.question, answer: r.answer })),
  );

  it('grades the worked solutions themselves, and "The answer is" restatements, as correct', async () => {
    const samples = write('gsm-s.jsonl', [
      ...gsm.map((r, i) => ({ id: `g${i}`, response: r.answer })),
      ...gsm.map((r, i) => {
        const n = extractAnswer(r.answer)!;
        const formatted = Number(n.replace(/,/g, '')).toLocaleString('en-US');
        return { id: `g${i}`, response: `Working it out.\nThe answer is $${formatted}.` };
      }),
    ]);
    const out = path.join(work, 'gsm-g.jsonl');
    const stats = await gradeFiles({ queries: [queries], samples, out, workers: 0 });
    expect(stats).toMatchObject({ samples: 400, labeled: 400, correct: 400, noAnswer: 0 });
    const graded = read(out);
    expect(graded[0]).toMatchObject({ id: 'g0', pred: '18', correct: true });
    expect(graded.every((r) => r.correct === true)).toBe(true);
  });

  it('grades perturbed final answers as wrong', async () => {
    const samples = write(
      'gsm-p.jsonl',
      gsm.map((r, i) => ({ id: `g${i}`, response: `#### ${Number(extractAnswer(r.answer)!.replace(/,/g, '')) + 1}` })),
    );
    const stats = await gradeFiles({ queries: [queries], samples, out: path.join(work, 'gsm-p-g.jsonl'), workers: 0 });
    expect(stats.correct).toBe(0);
    expect(stats.labeled).toBe(200);
  });
});

describe('grading MATH-500 (200 rows)', () => {
  const math = read(path.join(fixtures, 'math500-test-200.jsonl'));
  const queries = write(
    'math-q.jsonl',
    math.map((r) => ({ id: r.unique_id, question: '', answer: r.answer })),
  );

  it("the \\boxed{} answer of each reference solution equals the data set's answer field, and rewritten forms too", async () => {
    const samples = write('math-s.jsonl', [
      ...math.map((r) => ({ id: r.unique_id, response: r.solution })),
      ...math.map((r) => ({
        id: r.unique_id,
        response: `The final answer is $\\boxed{${String(r.answer).replace(/\\frac/g, '\\dfrac')}}$. I hope it is correct.`,
      })),
    ]);
    const out = path.join(work, 'math-g.jsonl');
    const stats = await gradeFiles({ queries: [queries], samples, out, workers: 2, budgetMs: 5000 });
    const wrong = read(out)
      .filter((r) => r.correct !== true)
      .map((r) => [r.id, r.pred]);
    expect(wrong).toEqual([]);
    expect(stats.correct).toBe(400);
  });

  it('grades answers with a changed digit as wrong', async () => {
    const perturbed = math.flatMap((r) => {
      const bumped = bumpFirstDigit(String(r.answer));
      return bumped === null ? [] : [{ id: r.unique_id, response: `So \\boxed{${bumped}}` }];
    });
    expect(perturbed.length).toBeGreaterThan(180);
    const out = path.join(work, 'math-p-g.jsonl');
    const stats = await gradeFiles({ queries: [queries], samples: write('math-p.jsonl', perturbed), out, workers: 2, budgetMs: 5000 });
    const judgedEqual = read(out)
      .filter((r) => r.correct === true)
      .map((r) => r.pred);
    expect(judgedEqual).toEqual([]);
    expect(stats.labeled).toBe(perturbed.length);
  });
});

describe('the per-item time budget', () => {
  it('refuses a pathological comparison by the work it would take (not the clock), grades it wrong, keeps rows in order', async () => {
    const queries = write('slow-q.jsonl', [
      { id: 'slow', answer: '5' },
      { id: 'fine', answer: 'x^2-1' },
    ]);
    const samples = write('slow-s.jsonl', [
      { id: 'fine', response: '\\boxed{(x-1)(x+1)}' },
      { id: 'slow', response: '\\boxed{\\prod_{k=1}^{3000000} k}' },
      { id: 'fine', response: '\\boxed{(x+1)(x-1)}' },
      { id: 'fine', response: '\\boxed{x^2+1}' },
    ]);
    const out = path.join(work, 'slow-g.jsonl');
    const started = Date.now();
    const stats = await gradeFiles({ queries: [queries], samples, out, workers: 1, budgetMs: 400 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(stats.bounded).toBe(1);
    expect(stats.timeouts).toBe(0);
    expect(read(out).map((r) => [r.id, r.correct])).toEqual([
      ['fine', true],
      ['slow', false],
      ['fine', true],
      ['fine', false],
    ]);
  }, 30_000);
});
