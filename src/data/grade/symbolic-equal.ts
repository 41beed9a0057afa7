import { ComputeEngine } from '@cortex-js/compute-engine';

type BoxedExpression = ReturnType<ComputeEngine['parse']>;
import { toEngineLatex } from './to-engine-latex.ts';
import { beyondWorkBounds, WORK_BOUNDS } from './work-bounds.ts';
import { compileReal } from './fast-eval.ts';

// Pairs this thread refused for the work they would take (beyondWorkBounds): the worker reports them to the pool.
export const symbolicCounts = { bounded: 0 };

const NOT_FOR_ENGINE = /\\cup|\\cap|\\begin|\\infty|\[|\]|\\[lg]eq?(?![a-z])|[<>]|\\text|\\mathrm|\\boxed|\\fbox|\d_\d/;

let engine: ComputeEngine | undefined;

// One engine per thread, made on first use (it takes ~70 ms to start).
function getEngine(): ComputeEngine {
  engine ??= new ComputeEngine();
  return engine;
}

// Fixed sample points for the numeric check: a few positive non-integers, so sqrt and log stay real and no
// coincidence at 0 or 1 hides a difference.
const POINTS = [0.5772, 1.3247, 2.2361, 0.8415, 3.1416];

// Symbolic equality of two stripped LaTeX answers: the engine's own structural/numeric equality first, then the
// values at fixed points (constants: relative 1e-4 like numbers; with unknowns: 1e-6 at every point that evaluates).
export function symbolicEqual(a: string, b: string): boolean {
  if (beyondWorkBounds(a) !== null || beyondWorkBounds(b) !== null) {
    symbolicCounts.bounded += 1;
    return false;
  }
  const fast = fastEqual(toEngineLatex(a), toEngineLatex(b));
  if (fast !== undefined) return fast;
  // Forms the engine cannot compare as values (intervals, unions, systems, relations, text, a cut-off box): by now
  // the structural rules (answers-equal.ts) have had their say, and the engine would only spend its 10 ms to refuse.
  if (NOT_FOR_ENGINE.test(a) || NOT_FOR_ENGINE.test(b)) return false;
  const ce = getEngine();
  let A: BoxedExpression;
  let B: BoxedExpression;
  try {
    A = ce.parse(toEngineLatex(a));
    B = ce.parse(toEngineLatex(b));
  } catch {
    return false;
  }
  if (!A.isValid || !B.isValid) return false;
  const numeric = numericallyEqual(ce, A, B);
  if (numeric !== undefined) return numeric;
  // No point evaluated to a number on both sides: the engine's own structural equality decides.
  try {
    return A.isEqual(B) === true;
  } catch {
    return false;
  }
}

// Equal at fixed points (constants: once, relative 1e-4 like numbers; with unknowns: relative 1e-6 at every point
// that evaluates on both sides); undefined when no point evaluates. Cheaper than the engine's isEqual, which tries
// symbolic simplification first.
function numericallyEqual(ce: ComputeEngine, A: BoxedExpression, B: BoxedExpression): boolean | undefined {
  const names = [...new Set([...A.unknowns, ...B.unknowns])];
  if (names.length > WORK_BOUNDS.unknowns) {
    symbolicCounts.bounded += 1;
    return false;
  }
  const points = names.length === 0 ? [0] : POINTS;
  const tolerance = names.length === 0 ? 1e-4 : 1e-6;
  let compared = 0;
  for (let p = 0; p < points.length; p++) {
    const values: Record<string, BoxedExpression> = {};
    names.forEach((name, i) => (values[name] = ce.number(POINTS[(p + i) % POINTS.length]! + i * 0.1)));
    const va = valueAt(A, values);
    const vb = valueAt(B, values);
    if (!va || !vb) continue;
    compared += 1;
    if (!close(va[0], vb[0], tolerance) || !close(va[1], vb[1], tolerance)) return false;
  }
  return compared > 0 ? true : undefined;
}

// The numeric comparison on fastEval's reading of both answers, when it reads both and some point evaluates on both
// sides; undefined sends the pair to the engine. Same points and tolerances as the engine's path.
function fastEqual(a: string, b: string): boolean | undefined {
  const A = compileReal(a);
  const B = compileReal(b);
  if (A === null || B === null) return undefined;
  const names = [...new Set([...A.names, ...B.names])].sort();
  if (names.length > WORK_BOUNDS.unknowns) return undefined;
  const points = names.length === 0 ? 1 : POINTS.length;
  const tolerance = names.length === 0 ? 1e-4 : 1e-6;
  let compared = 0;
  for (let p = 0; p < points; p++) {
    const values: Record<string, number> = {};
    names.forEach((name, i) => (values[name] = POINTS[(p + i) % POINTS.length]! + i * 0.1));
    const va = A.fn(values);
    const vb = B.fn(values);
    if (!Number.isFinite(va) || !Number.isFinite(vb)) continue;
    compared += 1;
    if (!close(va, vb, tolerance)) return false;
  }
  return compared > 0 ? true : undefined;
}

// [real, imaginary] of an expression at a point, or null when it is not a finite number there.
function valueAt(expr: BoxedExpression, values: Record<string, BoxedExpression>): [number, number] | null {
  try {
    const value = (Object.keys(values).length > 0 ? expr.subs(values) : expr).N();
    const re = value.re;
    const im = value.im;
    if (typeof re !== 'number' || !Number.isFinite(re) || !Number.isFinite(im)) return null;
    return [re, im];
  } catch {
    return null;
  }
}

function close(a: number, b: number, relative: number): boolean {
  return Math.abs(a - b) <= Math.max(1e-12, relative * Math.max(Math.abs(a), Math.abs(b)));
}
