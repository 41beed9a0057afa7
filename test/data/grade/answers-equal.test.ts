import { describe, expect, it } from 'vitest';
import { answersEqual } from '../../../src/data/grade/answers-equal.ts';
import { symbolicEqual } from '../../../src/data/grade/symbolic-equal.ts';
import { EQUIVALENCE_CASES } from './equivalence-cases.ts';

describe('answersEqual: the equivalence table', () => {
  it('has at least 150 cases, both equal and unequal', () => {
    expect(EQUIVALENCE_CASES.length).toBeGreaterThanOrEqual(150);
    expect(EQUIVALENCE_CASES.filter((c) => c[2]).length).toBeGreaterThan(50);
    expect(EQUIVALENCE_CASES.filter((c) => !c[2]).length).toBeGreaterThan(50);
  });

  it.each(EQUIVALENCE_CASES)('%s vs %s → %s (%s)', (pred, ref, equal) => {
    expect(answersEqual(pred, ref, symbolicEqual)).toBe(equal);
  });

  it('is symmetric on the table, except where a side names the variable or a choice letter', () => {
    for (const [pred, ref, equal] of EQUIVALENCE_CASES) {
      if (/^[A-Ea-e]$|\(B\)|\\text\{\(C\)\}/.test(pred + ref) || ref === '' || pred === '') continue;
      expect(answersEqual(ref, pred, symbolicEqual), `${ref} vs ${pred}`).toBe(equal);
    }
  });

  it('leaves only symbolic cases undecided without the engine', () => {
    expect(answersEqual('18', '18.0')).toBe(true);
    expect(answersEqual('1,000', '999')).toBe(false);
    expect(answersEqual('x^2-1', '(x-1)(x+1)')).toBeUndefined();
    expect(answersEqual(null, '1')).toBe(false);
  });
});
