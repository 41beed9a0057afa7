import type { ArithmeticOp, ComparisonOp, Condition, NumericExpr } from './condition-ast.ts';
import { ConditionSyntaxError } from './condition-syntax-error.ts';
import { quote, tokenizeCondition, type SymbolName, type Token } from './tokenize-condition.ts';

export type { Condition, NumericExpr } from './condition-ast.ts';
export { ConditionSyntaxError } from './condition-syntax-error.ts';

// Grammar, loosest first (`not` and `!` bind looser than comparisons, as in Python):
//   condition  := and (("or" | "||") and)*
//   and        := not (("and" | "&&") not)*
//   not        := ("not" | "!") not | comparison
//   comparison := sum ((">=" | ">" | "<=" | "<" | "==" | "!=") sum)?      -- never chained
//   sum        := product (("+" | "-") product)*
//   product    := unary (("*" | "/") unary)*
//   unary      := "-" unary | primary
//   primary    := NUMBER | METRIC | "(" condition ")"
// Parentheses may hold a number or a condition, so every node is typed and each operator checks its operands.

const EXAMPLE = '"eval.accuracy >= 0.85"';
export const MAX_CONDITION_LENGTH = 1000;
export const MAX_CONDITION_NESTING = 50;

const COMPARISONS: readonly SymbolName[] = ['>=', '>', '<=', '<', '==', '!='];

type Typed =
  | { type: 'number'; node: NumericExpr; start: number; end: number }
  | { type: 'condition'; node: Condition; start: number; end: number };

// Parses an `until.metric` condition such as `eval.accuracy >= 0.85 and train_rm.loss < 0.3`; never evaluates code.
export function parseCondition(src: string): Condition {
  if (src.length > MAX_CONDITION_LENGTH) {
    throw new ConditionSyntaxError(
      `the condition is ${src.length} characters long; the limit is ${MAX_CONDITION_LENGTH}`,
      MAX_CONDITION_LENGTH,
    );
  }
  return new Parser(src).parse();
}

// Lists the metric names a condition reads, once each in order of appearance, so a recipe can be checked up front.
export function conditionMetrics(c: Condition): string[] {
  const names = new Set<string>();
  const visitNumber = (e: NumericExpr): void => {
    if (e.kind === 'metric') names.add(e.name);
    else if (e.kind === 'negate') visitNumber(e.operand);
    else if (e.kind === 'arithmetic') {
      visitNumber(e.left);
      visitNumber(e.right);
    }
  };
  const visit = (node: Condition): void => {
    if (node.kind === 'compare') {
      visitNumber(node.left);
      visitNumber(node.right);
    } else if (node.kind === 'not') visit(node.operand);
    else {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(c);
  return [...names];
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(private readonly src: string) {
    this.tokens = tokenizeCondition(src);
  }

  parse(): Condition {
    if (this.peek().kind === 'end') {
      throw new ConditionSyntaxError(`expected a comparison such as ${EXAMPLE}, found an empty condition`, 0);
    }
    const result = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpectedAfter(result, next);
    return this.requireCondition(result);
  }

  private parseOr(): Typed {
    let left = this.parseAnd();
    while (this.atSymbol('or')) {
      const l = this.requireCondition(left);
      this.advance();
      const right = this.parseAnd();
      left = { type: 'condition', node: { kind: 'or', left: l, right: this.requireCondition(right) }, start: left.start, end: right.end };
    }
    return left;
  }

  private parseAnd(): Typed {
    let left = this.parseNot();
    while (this.atSymbol('and')) {
      const l = this.requireCondition(left);
      this.advance();
      const right = this.parseNot();
      left = { type: 'condition', node: { kind: 'and', left: l, right: this.requireCondition(right) }, start: left.start, end: right.end };
    }
    return left;
  }

  private parseNot(): Typed {
    if (!this.atSymbol('not')) return this.parseComparison();
    const op = this.advance();
    const operand = this.nested(op, () => this.parseNot());
    return { type: 'condition', node: { kind: 'not', operand: this.requireCondition(operand) }, start: op.offset, end: operand.end };
  }

  private parseComparison(): Typed {
    const left = this.parseSum();
    const op = this.peek();
    if (op.kind !== 'symbol' || !COMPARISONS.includes(op.symbol)) return left;
    const l = this.requireNumber(left, op);
    this.advance();
    const right = this.parseSum();
    const r = this.requireNumber(right, op);
    const after = this.peek();
    if (after.kind === 'symbol' && COMPARISONS.includes(after.symbol)) {
      throw new ConditionSyntaxError(`comparisons cannot be chained; join them with "and", e.g. "x > 0 and x < 1"`, after.offset);
    }
    return {
      type: 'condition',
      node: { kind: 'compare', op: op.symbol as ComparisonOp, left: l, right: r },
      start: left.start,
      end: right.end,
    };
  }

  private parseSum(): Typed {
    return this.parseBinary(['+', '-'], () => this.parseProduct());
  }

  private parseProduct(): Typed {
    return this.parseBinary(['*', '/'], () => this.parseUnary());
  }

  private parseBinary(ops: readonly SymbolName[], operand: () => Typed): Typed {
    let left = operand();
    for (let op = this.peek(); op.kind === 'symbol' && ops.includes(op.symbol); op = this.peek()) {
      const l = this.requireNumber(left, op);
      this.advance();
      const right = operand();
      const node: NumericExpr = { kind: 'arithmetic', op: op.symbol as ArithmeticOp, left: l, right: this.requireNumber(right, op) };
      left = { type: 'number', node, start: left.start, end: right.end };
    }
    return left;
  }

  private parseUnary(): Typed {
    if (!this.atSymbol('-')) return this.parsePrimary();
    const op = this.advance();
    const operand = this.nested(op, () => this.parseUnary());
    return { type: 'number', node: { kind: 'negate', operand: this.requireNumber(operand, op) }, start: op.offset, end: operand.end };
  }

  private parsePrimary(): Typed {
    const token = this.peek();
    const end = token.offset + token.text.length;
    if (token.kind === 'number') {
      this.advance();
      return { type: 'number', node: { kind: 'number', value: token.value }, start: token.offset, end };
    }
    if (token.kind === 'name') {
      this.advance();
      const call = this.peek();
      if (call.kind === 'symbol' && call.symbol === '(') {
        throw new ConditionSyntaxError(
          `${quote(token.text + '(')} looks like a function call; a condition only compares metrics and numbers, such as ${EXAMPLE}`,
          call.offset,
        );
      }
      return { type: 'number', node: { kind: 'metric', name: token.text }, start: token.offset, end };
    }
    if (token.kind === 'symbol' && token.symbol === '(') {
      this.advance();
      const inner = this.nested(token, () => this.parseOr());
      const close = this.peek();
      if (close.kind !== 'symbol' || close.symbol !== ')') throw this.unexpectedAfter(inner, close, token);
      this.advance();
      return { ...inner, start: token.offset, end: close.offset + 1 };
    }
    throw this.expectedOperand(token);
  }

  // Runs a nested parse one level deeper, refusing input nested deeper than MAX_CONDITION_NESTING.
  private nested(opener: Token, parse: () => Typed): Typed {
    if (this.depth >= MAX_CONDITION_NESTING) {
      throw new ConditionSyntaxError(`the condition nests deeper than ${MAX_CONDITION_NESTING} levels`, opener.offset);
    }
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private requireCondition(t: Typed): Condition {
    if (t.type === 'condition') return t.node;
    throw new ConditionSyntaxError(
      `expected a comparison such as ${EXAMPLE}, but ${quote(this.text(t))} is a number, not a condition`,
      t.start,
    );
  }

  private requireNumber(t: Typed, op: Token): NumericExpr {
    if (t.type === 'number') return t.node;
    const verb = op.kind === 'symbol' && COMPARISONS.includes(op.symbol) ? 'compares numbers' : 'needs numbers';
    throw new ConditionSyntaxError(`${quote(op.text)} ${verb}, but ${quote(this.text(t))} is a condition`, t.start);
  }

  private expectedOperand(found: Token): ConditionSyntaxError {
    const prev = this.tokens[this.pos - 1];
    let message: string;
    if (prev === undefined) message = `expected a comparison such as ${EXAMPLE}, found ${describe(found)}`;
    else if (prev.kind === 'symbol' && (prev.symbol === 'and' || prev.symbol === 'or' || prev.symbol === 'not')) {
      message = `expected a condition after ${quote(prev.text)}, found ${describe(found)}`;
    } else message = `expected a number or metric name after ${quote(prev.text)}, found ${describe(found)}`;
    return new ConditionSyntaxError(message, found.offset);
  }

  // The error for a token that cannot follow a complete operand; `open` is the "(" still waiting for its ")".
  private unexpectedAfter(result: Typed, found: Token, open?: Token): ConditionSyntaxError {
    const text = quote(this.text(result));
    let message: string;
    if (open !== undefined && found.kind === 'end') {
      message = `expected ")" to close the "(" at offset ${open.offset}, found end of input`;
    } else if (found.kind === 'symbol' && found.symbol === ')' && open === undefined) {
      message = `unexpected ")" with no matching "("`;
    } else if (result.type === 'number') {
      message = `expected an operator such as ">=" or "+" after ${text}, found ${describe(found)}`;
    } else if (open !== undefined) {
      message = `expected ")" to close the "(" at offset ${open.offset}, found ${describe(found)}`;
    } else {
      message = `unexpected ${describe(found)} after the complete condition ${text}; join conditions with "and" or "or"`;
    }
    const prev = this.tokens[this.pos - 1];
    if (prev?.kind === 'name' && prev.text.includes('-')) {
      message += `; note that "-" inside a metric name such as ${quote(prev.text)} is part of the name: put spaces around "-" to subtract`;
    }
    if (found.kind === 'name' && Object.hasOwn(LOWER_KEYWORDS, found.text.toLowerCase())) {
      message += `; write ${quote(found.text.toLowerCase())} in lower case`;
    }
    return new ConditionSyntaxError(message, found.offset);
  }

  private text(t: Typed): string {
    return this.src.slice(t.start, t.end);
  }

  private peek(): Token {
    const token = this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1];
    if (token === undefined) throw new Error('tokenizer produced no end token');
    if (token.kind === 'invalid') throw new ConditionSyntaxError(token.message, token.offset);
    return token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.pos += 1;
    return token;
  }

  private atSymbol(symbol: SymbolName): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.symbol === symbol;
  }
}

const LOWER_KEYWORDS: Record<string, true> = { and: true, or: true, not: true };

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of input' : quote(token.text);
}
