import { describe, expect, it } from 'vitest';
import { extractAnswer } from '../../../src/data/grade/extract-answer.ts';
import { lastBoxed } from '../../../src/data/grade/last-boxed.ts';

describe('extractAnswer', () => {
  it.each([
    ['So the result is $\\boxed{\\frac{1}{2}}$.', '\\frac{1}{2}'],
    ['\\boxed{1} then \\boxed{2}', '2'],
    ['\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}', '\\left( 3, \\frac{\\pi}{2} \\right)'],
    ['nested \\boxed{\\{1, \\{2\\}\\}} end', '\\{1, \\{2\\}\\}'],
    ['\\boxed 5$', '5'],
    ['\\fbox{7}', '7'],
    ['She makes 9 * 2 = $<<9*2=18>>18 every day.\n#### 18', '18'],
    ['#### 1,234', '1,234'],
    ['The answer is 42.', '42'],
    ['The answer is 5. Wait, no.\nThe answer is 4', '4'],
    ['The answer is $\\frac{3}{4}$.', '\\frac{3}{4}'],
    ['The answer is: 3.5.', '3.5'],
    ['The final answer is $-2$. I hope it is correct.', '-2'],
    ['Final answer: 12', '12'],
    ['so the answer is 7 because 3 + 4 = 7', '7'],
    ['I computed 3 + 4 = 7 and then 7 * 2 = 14', '14'],
    ['It costs $1,000 in total', '1,000'],
    ['half is .5', '.5'],
    ['no numbers here', null],
    ['', null],
  ])('%j → %j', (text, expected) => {
    expect(extractAnswer(text)).toBe(expected);
  });

  it('a boxed answer wins over a later "the answer is"', () => {
    expect(extractAnswer('\\boxed{3}. The answer is 4')).toBe('3');
  });

  it('ignores non-strings', () => {
    expect(extractAnswer(undefined)).toBeNull();
    expect(extractAnswer(12)).toBeNull();
  });

  it('an unclosed \\boxed{ gives null from lastBoxed, and the last number from extractAnswer', () => {
    expect(lastBoxed('\\boxed{12')).toBeNull();
    expect(extractAnswer('so 3 and \\boxed{12')).toBe('12');
  });
});

describe('extractAnswer: the precedence for answers outside a box (docs/data/grading.md §1)', () => {
  it.each([
    ['The roots are \\boxed{2}, \\boxed{3}', '2, 3'],
    ['$\\boxed{1}$ and $\\boxed{2}$', '1, 2'],
    ['First \\boxed{3}, but correcting: \\boxed{4}', '4'],
    ['So \\boxed{255}. Final Answer: The final answer is $10,455$. I hope it is correct.', '10,455'],
    ['x^2 + 2x + 1', 'x^2 + 2x + 1'],
    ['\\frac{1}{2}', '\\frac{1}{2}'],
    ['Therefore $x \\geq 5$ is the solution.', 'x \\geq 5'],
    ['We get $d = 90/n$, so there are 12 sequences.', '12'],
    ['Final Answer: The largest $n$ is 34.', '34'],
    ['**Answer:** 5', '5'],
    ['m: 8', '8'],
    ['AZYUK2A', null],
    ['It costs $12 and $15 in total', '15'],
  ])('%j → %j', (text, expected) => {
    expect(extractAnswer(text)).toBe(expected);
  });
});
