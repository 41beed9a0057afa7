import { describe, it, expect } from 'vitest';
import { parseCondition } from '../../src/until/parse-condition.ts';
import { evaluateCondition } from '../../src/until/evaluate-condition.ts';

const evaluate = (src: string, metrics: Record<string, number>) => evaluateCondition(parseCondition(src), metrics);

describe('evaluateCondition with missing metrics', () => {
  const metrics = { 'eval.accuracy': 0.9, 'train_rm.loss': 0.2 };

  it.each([
    ['eval.bleu >= 0.5', 'unknown', ['eval.bleu']],
    ['eval.bleu < 0.5', 'unknown', ['eval.bleu']],
    ['not eval.bleu >= 0.5', 'unknown', ['eval.bleu']],
    ['eval.bleu + 1 > 0', 'unknown', ['eval.bleu']],
    ['-eval.bleu < 1', 'unknown', ['eval.bleu']],
    // Kleene logic: the result is decided when the known side decides it.
    ['eval.bleu > 0.5 or eval.accuracy > 0.8', true, ['eval.bleu']],
    ['eval.bleu > 0.5 or eval.accuracy > 0.95', 'unknown', ['eval.bleu']],
    ['eval.bleu > 0.5 and eval.accuracy > 0.95', false, ['eval.bleu']],
    ['eval.bleu > 0.5 and eval.accuracy > 0.8', 'unknown', ['eval.bleu']],
    ['not (eval.bleu > 0.5 and eval.accuracy > 0.95)', true, ['eval.bleu']],
    ['x > 1 or y > 1 or x < 0', 'unknown', ['x', 'y']],
    ['eval.accuracy > 0.8 and train_rm.loss < 0.3', true, []],
  ])('%s is %s', (src, value, missing) => {
    expect(evaluate(src, metrics)).toEqual({ value, missing });
  });

  it('treats a NaN metric as missing', () => {
    expect(evaluate('a > 0 or a <= 0', { a: NaN })).toEqual({ value: 'unknown', missing: ['a'] });
  });

  it('compares infinite metrics', () => {
    expect(evaluate('loss > 1000', { loss: Infinity })).toEqual({ value: true, missing: [] });
  });
});

describe('evaluateCondition arithmetic edge cases', () => {
  it.each([
    ['a / 0 > 1', { a: 1 }],
    ['a / b > 1', { a: 1, b: 0 }],
    ['a / (b - b) < 1', { a: 1, b: 3 }],
    ['0 / 0 == 0', {}],
    ['a - a == 0', { a: Infinity }],
  ])('%s is unknown', (src, metrics) => {
    expect(evaluate(src, metrics).value).toBe('unknown');
  });

  it('still decides an or whose other side holds despite a division by zero', () => {
    expect(evaluate('a / 0 > 1 or a == 1', { a: 1 })).toEqual({ value: true, missing: [] });
  });

  it('divides by negative zero as unknown too', () => {
    expect(evaluate('a / -0 > 1', { a: 1 }).value).toBe('unknown');
  });

  it('compares with exact equality', () => {
    expect(evaluate('a + b == 0.3', { a: 0.1, b: 0.2 }).value).toBe(false);
    expect(evaluate('a == 0.5', { a: 0.5 }).value).toBe(true);
  });
});
