import { describe, expect, it } from 'vitest';
import { judgeResponse } from '../../../src/data/grade/judge-response.ts';
import { symbolicCounts, symbolicEqual } from '../../../src/data/grade/symbolic-equal.ts';
import { beyondWorkBounds } from '../../../src/data/grade/work-bounds.ts';
import { extractAnswer } from '../../../src/data/grade/extract-answer.ts';

const nested = (n: number) => '\\frac{1}{'.repeat(n) + '2' + '}'.repeat(n);

// Each of these must finish fast and give the same verdict every time: the bounds are on the text, not the clock.
const CASES: Array<[string, string, string]> = [
  ['deeply nested \\frac', `\\boxed{${nested(200)}}`, '\\frac{1}{2}'],
  ['a 10,000-character expression', `\\boxed{${'x+'.repeat(5000)}1}`, 'x+1'],
  ['an unclosed \\boxed{', `so \\boxed{${'('.repeat(5000)}`, '5'],
  ['a product of three million terms', '\\boxed{\\prod_{k=1}^{3000000} k}', '6'],
  ['a huge power', '\\boxed{2^{1000000}}', '2'],
  ['ten thousand dollar signs', '$'.repeat(10000), '1'],
  ['ten thousand braces', '{'.repeat(10000), '1'],
];

describe('pathological answers are bounded', () => {
  it.each(CASES)('%s: judged quickly, not equal, the same twice', (_, response, reference) => {
    const start = performance.now();
    const first = judgeResponse(response, reference, symbolicEqual);
    const second = judgeResponse(response, reference, symbolicEqual);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(first).toBe(false);
    expect(second).toBe(first);
  });

  it('counts the pairs the work bounds refuse', () => {
    const before = symbolicCounts.bounded;
    judgeResponse(`\\boxed{${nested(40)}}`, '\\frac{1}{3}+x', symbolicEqual);
    expect(symbolicCounts.bounded).toBe(before + 1);
  });

  it('names the bound an answer is beyond', () => {
    expect(beyondWorkBounds(nested(20))).toMatch(/nested deeper/);
    expect(beyondWorkBounds('x'.repeat(401))).toMatch(/longer than/);
    expect(beyondWorkBounds('\\sum_{k=1}^{100000} k')).toMatch(/sum or product/);
    expect(beyondWorkBounds('5000!')).toMatch(/factorial/);
    expect(beyondWorkBounds('\\frac{1}{2}+x^2')).toBeNull();
  });

  it('--extract boxed: a response without a box has no answer', () => {
    expect(extractAnswer('The answer is 5', 'boxed')).toBeNull();
    expect(extractAnswer('so \\boxed{5}. The final answer is 6', 'boxed')).toBe('5');
    expect(extractAnswer('The answer is 5')).toBe('5');
  });
});
