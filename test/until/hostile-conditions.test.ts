import { describe, it, expect, afterEach } from 'vitest';
import { parseCondition, ConditionSyntaxError } from '../../src/until/parse-condition.ts';
import { evaluateCondition } from '../../src/until/evaluate-condition.ts';

// Conditions come from recipe files and `--set`: none of these may run code, throw anything but a
// ConditionSyntaxError, or read properties the metrics object does not own.
describe('hostile conditions', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
    delete (globalThis as Record<string, unknown>).pwned;
  });

  it.each([
    ['constructor.constructor("x")()', 23],
    ['process.exit()', 12],
    ['require("child_process")', 7],
    ['globalThis.pwned = 1', 17],
    ['a > 1; globalThis.pwned = 1', 5],
    ['`${x}` > 0', 0],
    ['import("fs") > 0', 6],
    ['a > 1 /* */', 7],
    ['x => 1', 2],
    ['a?.b > 1', 1],
    ['a > 1 ? 1 : 0', 6],
    ['new Date() > 0', 4],
    ['this > 0 and this.x(1) > 0', 19],
  ])('%s is a syntax error at %i', (src, offset) => {
    let caught: unknown;
    try {
      parseCondition(src);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConditionSyntaxError);
    expect((caught as ConditionSyntaxError).offset).toBe(offset);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it.each([
    '__proto__.polluted > 0',
    '__proto__ > 0',
    'constructor > 0',
    'constructor.name > 0',
    'toString > 0',
    'hasOwnProperty == 0',
    'valueOf < 1',
  ])('%s reads no inherited property and is unknown', (src) => {
    (Object.prototype as Record<string, unknown>).polluted = 1;
    const result = evaluateCondition(parseCondition(src), { 'eval.accuracy': 0.9 });
    expect(result.value).toBe('unknown');
    expect(result.missing).toHaveLength(1);
  });

  it('reads inherited-looking names when they are own keys', () => {
    const metrics = JSON.parse('{"__proto__": 2, "constructor": 3}') as Record<string, number>;
    expect(evaluateCondition(parseCondition('__proto__ + constructor == 5'), metrics)).toEqual({ value: true, missing: [] });
  });

  it('does not read a pollutant even for a metric name that matches it', () => {
    (Object.prototype as Record<string, unknown>)['eval.accuracy'] = 1;
    try {
      expect(evaluateCondition(parseCondition('eval.accuracy > 0'), {}).value).toBe('unknown');
    } finally {
      delete (Object.prototype as Record<string, unknown>)['eval.accuracy'];
    }
  });

  it('works on a metrics object without a prototype', () => {
    const metrics = Object.assign(Object.create(null) as Record<string, number>, { a: 1 });
    expect(evaluateCondition(parseCondition('a == 1'), metrics).value).toBe(true);
  });

  it('ignores non-number values smuggled into metrics', () => {
    const metrics = { a: '1', b: { valueOf: () => 5 } } as unknown as Record<string, number>;
    expect(evaluateCondition(parseCondition('a == 1 or b == 5'), metrics)).toEqual({ value: 'unknown', missing: ['a', 'b'] });
  });

  it('survives very long and very deep input with a syntax error, not a stack overflow', () => {
    expect(() => parseCondition('('.repeat(100_000))).toThrow(ConditionSyntaxError);
    expect(() => parseCondition('a > 1 and '.repeat(10_000) + 'a > 1')).toThrow(ConditionSyntaxError);
  });
});
