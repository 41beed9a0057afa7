import { describe, expect, it } from 'vitest';
import { compileReal } from '../../../src/data/grade/fast-eval.ts';

const at = (latex: string, vars: Record<string, number> = {}) => compileReal(latex)?.fn(vars);

describe('compileReal: the fast numeric reader', () => {
  it.each([
    ['2+3\\cdot4', {}, 14],
    ['\\frac{1}{2}+\\frac13', {}, 1 / 2 + 1 / 3],
    ['2x+1', { x: 3 }, 7],
    ['x^23', { x: 2 }, 12], // LaTeX: x^2 · 3
    ['x^{23}', { x: 1 }, 1],
    ['\\sqrt[3]{-8}', {}, -2],
    ['\\sin 2x', { x: 0.3 }, Math.sin(0.6)],
    ['\\sin x\\cos x', { x: 0.3 }, Math.sin(0.3) * Math.cos(0.3)],
    ['\\sec^2 y', { y: 0.5 }, 1 / Math.cos(0.5) ** 2],
    ['|x-5|', { x: 2 }, 3],
    ['5!', {}, 120],
    ['2\\pi r', { r: 1 }, 2 * Math.PI],
    ['x_{1}+x_2', { 'x_{1}': 1, x_2: 2 }, 3],
  ])('%s', (latex, vars, value) => {
    expect(at(latex, vars)).toBeCloseTo(value, 12);
  });

  it('names the unknowns, sorted', () => {
    expect(compileReal('y+x+y')?.names).toEqual(['x', 'y']);
  });

  it('leaves to the engine what it does not read', () => {
    for (const latex of [
      '1+2i',
      '(1,2)',
      '[0,1)',
      'x\\le 2',
      '\\infty',
      '\\begin{pmatrix}1\\end{pmatrix}',
      '\\binom{5}{2}',
      '\\{1,2\\}',
      '',
    ]) {
      expect(compileReal(latex), latex).toBeNull();
    }
  });
});
