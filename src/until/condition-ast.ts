// The parsed form of an `until.metric` condition: numbers and metrics combined by arithmetic,
// compared, then joined by and/or/not. Parentheses leave no node; `&&`, `||`, `!` become and/or/not.

export type ArithmeticOp = '+' | '-' | '*' | '/';
export type ComparisonOp = '>=' | '>' | '<=' | '<' | '==' | '!=';

export type NumericExpr =
  | { kind: 'number'; value: number }
  | { kind: 'metric'; name: string }
  | { kind: 'negate'; operand: NumericExpr }
  | { kind: 'arithmetic'; op: ArithmeticOp; left: NumericExpr; right: NumericExpr };

export type Condition =
  | { kind: 'compare'; op: ComparisonOp; left: NumericExpr; right: NumericExpr }
  | { kind: 'and'; left: Condition; right: Condition }
  | { kind: 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition };
