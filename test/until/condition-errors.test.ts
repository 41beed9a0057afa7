import { describe, it, expect } from 'vitest';
import { parseCondition, ConditionSyntaxError, MAX_CONDITION_LENGTH } from '../../src/until/parse-condition.ts';
import { LoopError } from '../../src/errors/loop-error.ts';

function syntaxError(src: string): ConditionSyntaxError {
  try {
    parseCondition(src);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected "${src}" to be rejected`);
}

const NUMBER_NOT_CONDITION = (text: string) =>
  `expected a comparison such as "eval.accuracy >= 0.85", but "${text}" is a number, not a condition`;

// [source, offset, message]
const cases: Array<[string, number, string]> = [
  ['', 0, 'expected a comparison such as "eval.accuracy >= 0.85", found an empty condition'],
  ['   ', 0, 'expected a comparison such as "eval.accuracy >= 0.85", found an empty condition'],
  ['eval.accuracy', 0, NUMBER_NOT_CONDITION('eval.accuracy')],
  ['eval.accuracy + 1', 0, NUMBER_NOT_CONDITION('eval.accuracy + 1')],
  ['(a + b)', 0, NUMBER_NOT_CONDITION('(a + b)')],
  ['eval.accuracy >=', 16, 'expected a number or metric name after ">=", found end of input'],
  [
    'eval.accuracy >= 0.8 0.9',
    21,
    'unexpected "0.9" after the complete condition "eval.accuracy >= 0.8"; join conditions with "and" or "or"',
  ],
  ['eval.accuracy 0.9', 14, 'expected an operator such as ">=" or "+" after "eval.accuracy", found "0.9"'],
  ['eval.accuracy = 0.8', 14, '"=" is not a comparison; use "==" to test equality or ">=" / "<=" for a threshold'],
  ['a > 1 & b > 1', 6, '"&" is not an operator; use "and" (or "&&")'],
  ['a > 1 | b > 1', 6, '"|" is not an operator; use "or" (or "||")'],
  [
    'process.exit()',
    12,
    '"process.exit(" looks like a function call; a condition only compares metrics and numbers, such as "eval.accuracy >= 0.85"',
  ],
  ['>= 0.8', 0, 'expected a comparison such as "eval.accuracy >= 0.85", found ">="'],
  ['a > 1 and', 9, 'expected a condition after "and", found end of input'],
  ['a > 1 or or b > 1', 9, 'expected a condition after "or", found "or"'],
  ['not', 3, 'expected a condition after "not", found end of input'],
  ['a > 1 and b', 10, NUMBER_NOT_CONDITION('b')],
  ['a and b > 1', 0, NUMBER_NOT_CONDITION('a')],
  ['not a', 4, NUMBER_NOT_CONDITION('a')],
  ['!a', 1, NUMBER_NOT_CONDITION('a')],
  ['a * ', 4, 'expected a number or metric name after "*", found end of input'],
  ['a > * 2', 4, 'expected a number or metric name after ">", found "*"'],
  ['a > not 1', 4, 'expected a number or metric name after ">", found "not"'],
  ['+a > 1', 0, 'expected a comparison such as "eval.accuracy >= 0.85", found "+"'],
  ['0 < a < 1', 6, 'comparisons cannot be chained; join them with "and", e.g. "x > 0 and x < 1"'],
  ['a == b == c', 7, 'comparisons cannot be chained; join them with "and", e.g. "x > 0 and x < 1"'],
  ['(a > 1) == (b > 1)', 0, '"==" compares numbers, but "(a > 1)" is a condition'],
  ['a > (b > 1)', 4, '">" compares numbers, but "(b > 1)" is a condition'],
  ['(a > 1) + 1 > 0', 0, '"+" needs numbers, but "(a > 1)" is a condition'],
  ['-(a > 1)', 1, '"-" needs numbers, but "(a > 1)" is a condition'],
  ['(a > 1', 6, 'expected ")" to close the "(" at offset 0, found end of input'],
  ['((a > 1) and b > 2', 18, 'expected ")" to close the "(" at offset 0, found end of input'],
  ['(a > 1 b)', 7, 'expected ")" to close the "(" at offset 0, found "b"'],
  ['(a b) > 1', 3, 'expected an operator such as ">=" or "+" after "a", found "b"'],
  ['a > 1)', 5, 'unexpected ")" with no matching "("'],
  ['()', 1, 'expected a number or metric name after "(", found ")"'],
  [
    'a > 1 AND b > 1',
    6,
    'unexpected "AND" after the complete condition "a > 1"; join conditions with "and" or "or"; write "and" in lower case',
  ],
  ['a > 1e', 4, 'malformed number "1e"'],
  ['a > 1.2.3', 4, 'malformed number "1.2.3"'],
  ['a > 0.8x', 4, 'malformed number "0.8x"'],
  ['a > 1e999', 4, 'number "1e999" is too large'],
  [
    'a > 1; b',
    5,
    'unexpected character ";"; a condition uses metric names, numbers, + - * / ( ), comparisons (>= > <= < == !=) and and/or/not',
  ],
  [
    'eval. > 1',
    4,
    'unexpected character "."; a condition uses metric names, numbers, + - * / ( ), comparisons (>= > <= < == !=) and and/or/not',
  ],
  [
    'a["x"] > 1',
    1,
    'unexpected character "["; a condition uses metric names, numbers, + - * / ( ), comparisons (>= > <= < == !=) and and/or/not',
  ],
  [
    'a > "1"',
    4,
    `unexpected character '"'; conditions hold no strings; a condition uses metric names, numbers, + - * / ( ), comparisons (>= > <= < ` +
      `== !=) and and/or/not`,
  ],
  [
    'eval.loss-0.1 > 2',
    11,
    'expected an operator such as ">=" or "+" after "eval.loss-0", found ".1"; note that "-" inside a metric name such as "eval.loss-0" ' +
      'is part of the name: put spaces around "-" to subtract',
  ],
];

describe('parseCondition syntax errors', () => {
  it.each(cases)('%j fails at offset %i', (src, offset, message) => {
    const error = syntaxError(src);
    expect({ offset: error.offset, message: error.message }).toEqual({ offset, message });
  });

  it('is a LoopError with code E_RECIPE', () => {
    const error = syntaxError('eval.accuracy >=');
    expect(error).toBeInstanceOf(LoopError);
    expect(error.code).toBe('E_RECIPE');
    expect(error.name).toBe('ConditionSyntaxError');
  });

  it('refuses conditions longer than the limit', () => {
    const src = Array.from({ length: 300 }, () => 'a > 1').join(' or ');
    expect(src.length).toBeGreaterThan(MAX_CONDITION_LENGTH);
    expect(syntaxError(src).message).toBe(`the condition is ${src.length} characters long; the limit is ${MAX_CONDITION_LENGTH}`);
  });

  it.each([
    ['('.repeat(60) + 'a > 1' + ')'.repeat(60), 50],
    ['-'.repeat(60) + 'a > 1', 50],
    ['not '.repeat(60) + 'a > 1', 200],
  ])('refuses deep nesting instead of overflowing the stack: %s', (src, offset) => {
    expect(syntaxError(src)).toMatchObject({ offset, message: 'the condition nests deeper than 50 levels' });
  });

  it('accepts nesting up to the limit', () => {
    expect(() => parseCondition('('.repeat(50) + 'a > 1' + ')'.repeat(50))).not.toThrow();
  });
});
