import { describe, it, expect } from 'vitest';
import { checkStopRule, historyWindow } from '../../src/until/check-stop-rule.ts';
import { ConditionSyntaxError } from '../../src/until/parse-condition.ts';

const acc = (...values: number[]) => values.map((v) => ({ 'eval.accuracy': v }));
const state = (over: Partial<Parameters<typeof checkStopRule>[1]> = {}) => ({
  iteration: 1,
  history: acc(0.5),
  elapsedSeconds: 0,
  ...over,
});

describe('checkStopRule: max_iterations', () => {
  it.each([
    [0, 4, false],
    [3, 4, false],
    [4, 4, true],
    [5, 4, true],
    [0, 0, true],
  ])('iteration %i with max_iterations %i stops: %s', (iteration, maxIterations, stop) => {
    const decision = checkStopRule({ maxIterations }, state({ iteration }));
    expect(decision).toEqual(
      stop ? { stop: true, rule: 'max_iterations', reason: `reached max_iterations ${maxIterations}` } : { stop: false },
    );
  });
});

describe('checkStopRule: metric', () => {
  it('stops when the condition holds on the latest iteration', () => {
    expect(checkStopRule({ metric: 'eval.accuracy >= 0.97' }, state({ iteration: 3, history: acc(0.99, 0.9812) }))).toEqual({
      stop: true,
      rule: 'metric',
      reason: 'eval.accuracy >= 0.97 held at iteration 3 (eval.accuracy = 0.9812)',
    });
  });

  it('does not stop when only an earlier iteration met it', () => {
    expect(checkStopRule({ metric: 'eval.accuracy >= 0.97' }, state({ history: acc(0.99, 0.5) }))).toEqual({ stop: false });
  });

  it('does not stop on an unknown condition', () => {
    expect(checkStopRule({ metric: 'eval.bleu >= 0.3' }, state())).toEqual({ stop: false });
    expect(checkStopRule({ metric: 'eval.accuracy / 0 >= 0.3' }, state())).toEqual({ stop: false });
    expect(checkStopRule({ metric: 'not eval.bleu >= 0.3' }, state())).toEqual({ stop: false });
  });

  it('does not stop on an empty history', () => {
    expect(checkStopRule({ metric: '1 > 0' }, state({ history: [] }))).toEqual({ stop: false });
  });

  it('lists every metric read, noting the missing ones, and tidies whitespace', () => {
    const decision = checkStopRule(
      { metric: '  eval.accuracy > 0.5\n  or  eval.bleu > 0.3 ' },
      state({ iteration: 2, history: [{ 'eval.accuracy': 0.75, 'train_rm.loss': 1 }] }),
    );
    expect(decision).toEqual({
      stop: true,
      rule: 'metric',
      reason: 'eval.accuracy > 0.5 or eval.bleu > 0.3 held at iteration 2 (eval.accuracy = 0.7500, eval.bleu not reported)',
    });
  });

  it('throws the syntax error for a condition validation should have caught', () => {
    expect(() => checkStopRule({ metric: 'eval.accuracy >=' }, state())).toThrow(ConditionSyntaxError);
  });
});

describe('checkStopRule: plateau', () => {
  const plateau = { metric: 'eval.accuracy', delta: 0.002, window: 2 };

  it('stops when the last window improved on the iteration before by less than delta', () => {
    expect(checkStopRule({ plateau }, state({ history: acc(0.85, 0.851, 0.8505) }))).toEqual({
      stop: true,
      rule: 'plateau',
      reason: 'plateau: eval.accuracy improved by 0.0010 < 0.002 over the last 2 iterations',
    });
  });

  it('keeps going when the improvement reaches delta', () => {
    expect(checkStopRule({ plateau }, state({ history: acc(0.85, 0.84, 0.853) }))).toEqual({ stop: false });
  });

  it('counts an improvement equal to delta up to rounding as enough', () => {
    expect(0.852 - 0.85).not.toBe(0.002);
    expect(checkStopRule({ plateau }, state({ history: acc(0.85, 0.852, 0.8) }))).toEqual({ stop: false });
    expect(checkStopRule({ plateau: { ...plateau, delta: 0.2 } }, state({ history: acc(0.1, 0.3, 0.3) }))).toEqual({ stop: false });
  });

  it('reports a regression as no improvement', () => {
    expect(checkStopRule({ plateau }, state({ history: acc(0.9, 0.82, 0.81) }))).toEqual({
      stop: true,
      rule: 'plateau',
      reason: 'plateau: eval.accuracy did not improve over the last 2 iterations (best 0.8200, 0.9000 before)',
    });
  });

  it('needs window+1 iterations', () => {
    expect(checkStopRule({ plateau }, state({ history: acc(0.85, 0.85) }))).toEqual({ stop: false });
    expect(checkStopRule({ plateau }, state({ history: [] }))).toEqual({ stop: false });
  });

  it('needs the metric in each of the last window+1 iterations', () => {
    const history: Array<Record<string, number>> = [{ 'eval.accuracy': 0.85 }, { 'eval.accuracy': 0.85 }, {}, { 'eval.accuracy': 0.85 }];
    expect(checkStopRule({ plateau }, state({ history }))).toEqual({ stop: false });
  });

  it('ignores history older than window+1 iterations', () => {
    // 0.95 long ago would make every later value a regression; only [0.80, 0.85, 0.84] count.
    expect(checkStopRule({ plateau }, state({ history: acc(0.95, 0.8, 0.85, 0.84) }))).toEqual({ stop: false });
  });

  it('measures lower-is-better metrics downward', () => {
    const loss = (...values: number[]) => values.map((v) => ({ 'train_rm.loss': v }));
    const rule = { plateau: { metric: 'train_rm.loss', delta: 0.01, window: 2 } };
    expect(checkStopRule(rule, state({ history: loss(0.5, 0.4, 0.45), higherIsBetter: false }))).toEqual({ stop: false });
    expect(checkStopRule(rule, state({ history: loss(0.5, 0.495, 0.497), higherIsBetter: false }))).toEqual({
      stop: true,
      rule: 'plateau',
      reason: 'plateau: train_rm.loss improved by 0.0050 < 0.01 over the last 2 iterations',
    });
    // Read as higher-is-better, a falling loss is a regression.
    expect(checkStopRule(rule, state({ history: loss(0.5, 0.4, 0.45) }))).toMatchObject({ stop: true, rule: 'plateau' });
  });

  it('says "the last iteration" for window 1', () => {
    const rule = { plateau: { ...plateau, window: 1 } };
    expect(checkStopRule(rule, state({ history: acc(0.8, 0.801) }))).toEqual({
      stop: true,
      rule: 'plateau',
      reason: 'plateau: eval.accuracy improved by 0.0010 < 0.002 over the last iteration',
    });
  });

  it('with delta 0 stops only on no improvement at all', () => {
    const rule = { plateau: { ...plateau, delta: 0, window: 1 } };
    expect(checkStopRule(rule, state({ history: acc(0.8, 0.8) }))).toEqual({ stop: false });
    expect(checkStopRule(rule, state({ history: acc(0.8, 0.79) }))).toMatchObject({ stop: true, rule: 'plateau' });
  });
});

describe('checkStopRule: walltime', () => {
  it.each([
    [10_920, 10_800, 'wall time 3h02m exceeded the budget 3h'],
    [10_800, 10_800, 'wall time 3h reached the budget 3h'],
    [10_830, 10_800, 'wall time 3h reached the budget 3h'],
    [5_400, 3_600, 'wall time 1h30m exceeded the budget 1h'],
  ])('%is against %is: %s', (elapsedSeconds, walltimeSeconds, reason) => {
    expect(checkStopRule({ walltimeSeconds }, state({ elapsedSeconds }))).toEqual({ stop: true, rule: 'walltime', reason });
  });

  it('does not stop under the budget', () => {
    expect(checkStopRule({ walltimeSeconds: 10_800 }, state({ elapsedSeconds: 10_799.9 }))).toEqual({ stop: false });
  });
});

describe('checkStopRule: order and absence', () => {
  const all = {
    maxIterations: 4,
    metric: 'eval.accuracy >= 0.9',
    plateau: { metric: 'eval.accuracy', delta: 0.01, window: 1 },
    walltimeSeconds: 60,
  };
  const everything = state({ iteration: 4, history: acc(0.9, 0.9), elapsedSeconds: 61 });

  it('prefers metric, then plateau, then walltime, then max_iterations', () => {
    expect(checkStopRule(all, everything)).toMatchObject({ rule: 'metric' });
    expect(checkStopRule({ ...all, metric: 'eval.accuracy > 0.95' }, everything)).toMatchObject({ rule: 'plateau' });
    expect(checkStopRule({ ...all, metric: undefined, plateau: undefined }, everything)).toMatchObject({ rule: 'walltime' });
    expect(checkStopRule({ maxIterations: 4, walltimeSeconds: 100 }, everything)).toMatchObject({ rule: 'max_iterations' });
  });

  it('never stops with an empty rule', () => {
    expect(checkStopRule({}, everything)).toEqual({ stop: false });
  });
});

describe('historyWindow', () => {
  it.each([
    [{ maxIterations: 3 }, 1],
    [{ metric: 'eval.accuracy > 0.9' }, 1],
    [{ walltimeSeconds: 60 }, 1],
    [{ plateau: { metric: 'eval.accuracy', delta: 0.01, window: 3 } }, 4],
    [{ maxIterations: 3, plateau: { metric: 'eval.accuracy', delta: 0.01, window: 1 } }, 2],
  ])('%j keeps %i iterations', (rule, n) => {
    expect(historyWindow(rule)).toBe(n);
  });

  it('keeps enough history for the plateau rule to decide', () => {
    const rule = { plateau: { metric: 'eval.accuracy', delta: 0.01, window: 3 } };
    const full = acc(0.5, 0.7, 0.8, 0.801, 0.802, 0.803);
    const bounded = full.slice(-historyWindow(rule));
    expect(checkStopRule(rule, state({ history: bounded }))).toEqual(checkStopRule(rule, state({ history: full })));
    expect(checkStopRule(rule, state({ history: bounded }))).toMatchObject({ stop: true });
  });
});
