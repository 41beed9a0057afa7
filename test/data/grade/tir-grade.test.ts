import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeFiles } from '../../../src/data/grade/grade-files.ts';
import { tirAnswerText } from '../../../src/data/grade/tir-answer-text.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'loop-tir-grade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fence = '```';
// A TIR response: prose, a python block, its stated output, then the answer.
const tir = (code: string, output: string, answer: string) =>
  `Let me compute it.\n${fence}python\n${code}\n${fence}\n${fence}output\n${output}\n${fence}\nSo the answer is ${answer}.`;

describe('grading tool-integrated responses', () => {
  it('reads the answer from the prose and outputs, never from the code', () => {
    const text = `${fence}python\nprint(6 * 7)\nx = 99\n${fence}\n${fence}output\n42\n${fence}`;
    expect(tirAnswerText(text)).not.toContain('99');
    expect(tirAnswerText('no blocks, 12')).toBe('no blocks, 12');
  });

  it('with --tir-check, a response whose stated output its code does not print is not correct', async () => {
    const queries = path.join(dir, 'q.jsonl');
    const samples = path.join(dir, 's.jsonl');
    const out = path.join(dir, 'g.jsonl');
    writeFileSync(queries, `${JSON.stringify({ id: 'a', question: '6*7?', answer: '42' })}\n`);
    const rows = [
      { id: 'a', response: tir('print(6 * 7)', '42', '42') }, // honest and right
      { id: 'a', response: tir('print(6 * 8)', '42', '42') }, // right answer, invented output
      { id: 'a', response: tir('print(6 * 8)', '48', '48') }, // honest and wrong
      { id: 'a', response: 'Plain text: 6*7 = 42' }, // no code: not re-executed
    ];
    writeFileSync(samples, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

    const plain = await gradeFiles({ queries: [queries], samples, out, workers: 0 });
    expect(plain.correct).toBe(3);
    expect(plain.tirChecked).toBe(0);

    const checked = await gradeFiles({ queries: [queries], samples, out, workers: 0, tirCheck: { timeoutMs: 20_000 } });
    const graded = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(graded.map((g) => g.correct)).toEqual([true, false, false, true]);
    expect(graded.map((g) => g.tir_consistent)).toEqual([true, false, true, undefined]);
    expect(checked).toMatchObject({ correct: 2, tirChecked: 3, tirInconsistent: 1 });
  });
});
