import { describe, it, expect } from 'vitest';
import { parseCondition, conditionMetrics } from '../../src/until/parse-condition.ts';
import { evaluateCondition } from '../../src/until/evaluate-condition.ts';

const m = { a: 2, b: 1, c: 0, 'eval.accuracy': 0.9, 'train_rm.loss': 0.25, 'eval.f1-score': 0.5 };

// Each expression is parsed and evaluated against `m`; the table pins precedence and operator spellings.
const cases: Array<[string, boolean]> = [
  ['1 + 2 * 3 == 7', true],
  ['(1 + 2) * 3 == 9', true],
  ['10 - 4 - 3 == 3', true],
  ['8 / 4 / 2 == 1', true],
  ['-a == -2', true],
  ['- -a == 2', true],
  ['-a * -b == 2', true],
  ['2 - -1 == 3', true],
  ['1e-3 < .5', true],
  ['1.5E+2 == 150', true],
  ['1. == 1', true],
  ['eval.accuracy >= 0.85', true],
  ['eval.accuracy>=0.95', false],
  ['eval.accuracy > 0.9', false],
  ['eval.accuracy <= 0.9', true],
  ['eval.accuracy < 0.9', false],
  ['eval.accuracy != 0.9', false],
  ['train_rm.loss < 0.3', true],
  ['eval.f1-score == 0.5', true],
  ['a-b == 1', true],
  ['not a > 1 or b < 2', true],
  ['not a > 1 or b > 2', false],
  ['not (a > 1 or b > 2)', false],
  ['not not a > 1', true],
  ['!(a > 1)', false],
  ['! a > 1', false],
  ['a > 1 and b > 1 or c == 0', true],
  ['a > 1 and (b > 1 or c == 1)', false],
  ['a > 1 or b > 1 and c == 1', true],
  ['(a > 1 or b > 1) and c == 1', false],
  ['a > 1 && b == 1 && c == 0', true],
  ['a < 1 || b < 1 || c < 1', true],
  ['a > 1 and b > 0 and c >= 0 and eval.accuracy > 0.5', true],
  ['(((a))) > ((1))', true],
  ['eval.accuracy - train_rm.loss >= 0.65', true],
  ['  a  >  1  ', true],
  ['a > 1\nand b > 0', true],
];

describe('parseCondition', () => {
  it.each(cases)('%s evaluates to %s', (src, expected) => {
    expect(evaluateCondition(parseCondition(src), m)).toEqual({ value: expected, missing: [] });
  });

  it('builds the tree with * above + and and above or', () => {
    expect(parseCondition('1 + 2 * x > 0 or y < 1 and z < 2')).toEqual({
      kind: 'or',
      left: {
        kind: 'compare',
        op: '>',
        left: {
          kind: 'arithmetic',
          op: '+',
          left: { kind: 'number', value: 1 },
          right: { kind: 'arithmetic', op: '*', left: { kind: 'number', value: 2 }, right: { kind: 'metric', name: 'x' } },
        },
        right: { kind: 'number', value: 0 },
      },
      right: {
        kind: 'and',
        left: { kind: 'compare', op: '<', left: { kind: 'metric', name: 'y' }, right: { kind: 'number', value: 1 } },
        right: { kind: 'compare', op: '<', left: { kind: 'metric', name: 'z' }, right: { kind: 'number', value: 2 } },
      },
    });
  });

  it('normalizes &&, ||, ! to and, or, not', () => {
    expect(parseCondition('!(a > 1) && b > 1 || c > 1')).toEqual(parseCondition('not (a > 1) and b > 1 or c > 1'));
  });

  it('reads a dashed segment after a dot as one name, a dash in the first segment as minus', () => {
    expect(conditionMetrics(parseCondition('eval.f1-score > 0'))).toEqual(['eval.f1-score']);
    expect(conditionMetrics(parseCondition('a-b > 0'))).toEqual(['a', 'b']);
    expect(conditionMetrics(parseCondition('eval.loss- 1 > 0'))).toEqual(['eval.loss']);
  });
});

describe('conditionMetrics', () => {
  it.each([
    ['eval.accuracy >= 0.85', ['eval.accuracy']],
    ['eval.accuracy >= 0.85 and train_rm.loss < 0.3 or eval.accuracy > 0.99', ['eval.accuracy', 'train_rm.loss']],
    ['-(x + y) * z / w != 0 and not v > 1', ['x', 'y', 'z', 'w', 'v']],
    ['1 < 2', []],
  ])('%s reads %j', (src, names) => {
    expect(conditionMetrics(parseCondition(src))).toEqual(names);
  });
});
