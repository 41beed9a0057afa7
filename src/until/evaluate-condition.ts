import type { Condition, NumericExpr } from './condition-ast.ts';

// Three-valued (Kleene) logic: a condition is `true` only when it would hold whatever values the missing
// metrics had, e.g. `missing > 1 or b < 2` is true when b < 2, and `not (missing > 1)` is unknown.
export type Truth = boolean | 'unknown';

export interface ConditionResult {
  value: Truth;
  /** Metrics the condition reads that are absent (or NaN) in the metrics given, once each, in order of appearance. */
  missing: string[];
}

// Evaluates a condition on one iteration's own metrics; a missing metric or a division by zero is unknown, never an exception.
export function evaluateCondition(c: Condition, metrics: Readonly<Record<string, number>>): ConditionResult {
  const missing = new Set<string>();
  const value = truth(c, metrics, missing);
  return { value, missing: [...missing] };
}

function truth(c: Condition, metrics: Readonly<Record<string, number>>, missing: Set<string>): Truth {
  switch (c.kind) {
    case 'compare': {
      const left = numeric(c.left, metrics, missing);
      const right = numeric(c.right, metrics, missing);
      if (left === undefined || right === undefined) return 'unknown';
      switch (c.op) {
        case '>=':
          return left >= right;
        case '>':
          return left > right;
        case '<=':
          return left <= right;
        case '<':
          return left < right;
        case '==':
          return left === right;
        case '!=':
          return left !== right;
      }
      break;
    }
    case 'and': {
      // Both sides are evaluated so `missing` lists every absent metric.
      const left = truth(c.left, metrics, missing);
      const right = truth(c.right, metrics, missing);
      if (left === false || right === false) return false;
      return left === true && right === true ? true : 'unknown';
    }
    case 'or': {
      const left = truth(c.left, metrics, missing);
      const right = truth(c.right, metrics, missing);
      if (left === true || right === true) return true;
      return left === false && right === false ? false : 'unknown';
    }
    case 'not': {
      const operand = truth(c.operand, metrics, missing);
      return operand === 'unknown' ? 'unknown' : !operand;
    }
  }
}

// A number, or undefined when unknown (a missing metric, a division by zero, a NaN result).
function numeric(e: NumericExpr, metrics: Readonly<Record<string, number>>, missing: Set<string>): number | undefined {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'metric': {
      const value: unknown = Object.hasOwn(metrics, e.name) ? metrics[e.name] : undefined;
      if (typeof value === 'number' && !Number.isNaN(value)) return value;
      missing.add(e.name);
      return undefined;
    }
    case 'negate': {
      const operand = numeric(e.operand, metrics, missing);
      return operand === undefined ? undefined : -operand;
    }
    case 'arithmetic': {
      const left = numeric(e.left, metrics, missing);
      const right = numeric(e.right, metrics, missing);
      if (left === undefined || right === undefined) return undefined;
      if (e.op === '/' && right === 0) return undefined;
      const result = e.op === '+' ? left + right : e.op === '-' ? left - right : e.op === '*' ? left * right : left / right;
      return Number.isNaN(result) ? undefined : result;
    }
  }
}
