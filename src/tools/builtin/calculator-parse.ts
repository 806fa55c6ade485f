/**
 * Parser for the calculator's expression language: Python's expression grammar, cut
 * down to what the calculator needs, with Python's precedence (`-2**2` is `-(2**2)`, `**` is
 * right-associative, `^` is xor and binds looser than `+`).
 *
 * Syntax the calculator refuses to evaluate (comparisons, `and`/`or`, attributes, lists, ...) is
 * still parsed, into an `unsupported` node, so that the model gets the original's
 * "Unsupported syntax: Compare" rather than a bare syntax error, and so that `__import__('os')`
 * parses and is then refused as "Function not allowed: __import__".
 */

import {
  ExpressionSyntaxError,
  keywords,
  tokenize,
  type CalcValue,
  type Token,
} from './calculator-tokens.js';

export { ExpressionSyntaxError, type CalcValue };

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '//' | '%' | '**' | '^' | '&' | '|' | '<<' | '>>' | '@';

export type UnaryOperator = '+' | '-' | '~' | 'not';

export type ExpressionNode =
  | { type: 'number'; value: CalcValue }
  | { type: 'name'; name: string }
  | { type: 'unary'; op: UnaryOperator; operand: ExpressionNode }
  | { type: 'binary'; op: BinaryOperator; left: ExpressionNode; right: ExpressionNode }
  | { type: 'call'; callee: ExpressionNode; args: ExpressionNode[]; hasKeywords: boolean }
  /** Parsed but never evaluated; `syntax` is the name the original's error message uses. */
  | { type: 'unsupported'; syntax: string };

// Python's nesting limit for brackets; also keeps the recursive descent off the JS stack limit.
const maxNesting = 200;

const unaryOperators = ['-', '+', '~'] as const satisfies readonly UnaryOperator[];

const closers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Recursive descent over Python's expression grammar, one method per precedence level. */
class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseExpression(): ExpressionNode {
    const node = this.tupleOrTest();
    const token = this.peek();
    if (token.kind !== 'end') {
      if (token.kind === 'op' && (token.text === ')' || token.text === ']' || token.text === '}')) {
        throw new ExpressionSyntaxError(`unmatched '${token.text}'`, token.pos + 1);
      }
      throw this.invalid(token);
    }
    return node;
  }

  private peek(): Token {
    // The token list always ends with an 'end' token, which is never consumed.
    return this.tokens[this.index] ?? { kind: 'end', pos: 0 };
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.text === text;
  }

  private isKeyword(text: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text === text;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** The next token, which the caller has seen to be an operator. */
  private takeOp(): Token & { kind: 'op' } {
    const token = this.next();
    if (token.kind !== 'op') throw this.invalid(token);
    return token;
  }

  private invalid(token: Token): ExpressionSyntaxError {
    return new ExpressionSyntaxError('invalid syntax', token.pos + 1);
  }

  private expectClose(open: Token & { kind: 'op' }): void {
    const close = closers[open.text] ?? ')';
    if (this.isOp(close)) {
      this.next();
      return;
    }
    const token = this.peek();
    if (token.kind === 'end')
      throw new ExpressionSyntaxError(`'${open.text}' was never closed`, open.pos + 1);
    throw this.invalid(token);
  }

  /** `a, b` is a tuple; a trailing comma makes one too. */
  private tupleOrTest(): ExpressionNode {
    const first = this.test();
    if (!this.isOp(',')) return first;
    while (this.isOp(',')) {
      this.next();
      if (this.startsExpression()) this.test();
    }
    return { type: 'unsupported', syntax: 'Tuple' };
  }

  private startsExpression(): boolean {
    const token = this.peek();
    if (token.kind === 'number' || token.kind === 'string') return true;
    if (token.kind === 'name')
      return (
        !keywords.has(token.text) || ['not', 'None', 'True', 'False', 'lambda'].includes(token.text)
      );
    return token.kind === 'op' && ['(', '[', '{', '-', '+', '~'].includes(token.text);
  }

  private test(): ExpressionNode {
    if (this.isKeyword('lambda')) throw this.invalid(this.peek());
    const node = this.orTest();
    if (!this.isKeyword('if')) return node;
    this.next();
    this.orTest();
    if (!this.isKeyword('else')) throw this.invalid(this.peek());
    this.next();
    this.test();
    return { type: 'unsupported', syntax: 'IfExp' };
  }

  private orTest(): ExpressionNode {
    return this.boolChain('or', () => this.andTest());
  }

  private andTest(): ExpressionNode {
    return this.boolChain('and', () => this.notTest());
  }

  private boolChain(keyword: string, operand: () => ExpressionNode): ExpressionNode {
    const first = operand();
    if (!this.isKeyword(keyword)) return first;
    while (this.isKeyword(keyword)) {
      this.next();
      operand();
    }
    return { type: 'unsupported', syntax: 'BoolOp' };
  }

  private notTest(): ExpressionNode {
    if (!this.isKeyword('not')) return this.comparison();
    const token = this.next();
    return this.nested(token, () => ({ type: 'unary', op: 'not', operand: this.notTest() }));
  }

  private comparison(): ExpressionNode {
    const first = this.binaryLevel(0);
    let compared = false;
    for (;;) {
      const token = this.peek();
      if (token.kind === 'op' && ['<', '>', '<=', '>=', '==', '!='].includes(token.text)) {
        this.next();
      } else if (this.isKeyword('in')) {
        this.next();
      } else if (this.isKeyword('is') || this.isKeyword('not')) {
        const negated = this.isKeyword('not');
        this.next();
        if (negated && !this.isKeyword('in')) throw this.invalid(this.peek());
        if (this.isKeyword('not') || this.isKeyword('in')) this.next();
      } else {
        break;
      }
      this.binaryLevel(0);
      compared = true;
    }
    return compared ? { type: 'unsupported', syntax: 'Compare' } : first;
  }

  // Binary levels from loosest to tightest, all left-associative; `**` is handled in power().
  private static readonly levels: readonly (readonly BinaryOperator[])[] = [
    ['|'],
    ['^'],
    ['&'],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '//', '%', '@'],
  ];

  private binaryLevel(level: number): ExpressionNode {
    const ops = Parser.levels[level];
    if (!ops) return this.unary();
    let left = this.binaryLevel(level + 1);
    for (;;) {
      const token = this.peek();
      const op = ops.find((candidate) => token.kind === 'op' && token.text === candidate);
      if (!op) return left;
      this.next();
      left = { type: 'binary', op, left, right: this.binaryLevel(level + 1) };
    }
  }

  private unary(): ExpressionNode {
    const token = this.peek();
    const op =
      token.kind === 'op'
        ? unaryOperators.find((candidate) => candidate === token.text)
        : undefined;
    if (!op) return this.power();
    this.next();
    return this.nested(token, () => ({ type: 'unary', op, operand: this.unary() }));
  }

  /** `a ** b`: the right side is a unary expression, so `2 ** -1` parses and `2 ** 3 ** 2` is 2 ** 9. */
  private power(): ExpressionNode {
    const base = this.postfix();
    if (!this.isOp('**')) return base;
    const op = this.next();
    return this.nested(op, () => ({ type: 'binary', op: '**', left: base, right: this.unary() }));
  }

  private postfix(): ExpressionNode {
    let node = this.atom();
    for (;;) {
      if (this.isOp('(')) {
        node = this.call(node);
      } else if (this.isOp('[')) {
        const open = this.takeOp();
        this.nested(open, () => this.tupleOrTest());
        this.expectClose(open);
        node = { type: 'unsupported', syntax: 'Subscript' };
      } else if (this.isOp('.')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'name') throw this.invalid(name);
        node = { type: 'unsupported', syntax: 'Attribute' };
      } else {
        return node;
      }
    }
  }

  private call(callee: ExpressionNode): ExpressionNode {
    const open = this.takeOp();
    const args: ExpressionNode[] = [];
    let hasKeywords = false;
    this.nested(open, () => {
      while (!this.isOp(')')) {
        const arg = this.test();
        if (this.isOp('=')) {
          if (arg.type !== 'name') throw this.invalid(this.peek());
          this.next();
          this.test();
          hasKeywords = true;
        } else {
          args.push(arg);
        }
        if (!this.isOp(',')) break;
        this.next();
      }
    });
    this.expectClose(open);
    return { type: 'call', callee, args, hasKeywords };
  }

  private atom(): ExpressionNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return token.value === 'complex'
          ? { type: 'unsupported', syntax: 'complex literal' }
          : { type: 'number', value: token.value };
      case 'string':
        return { type: 'unsupported', syntax: 'string literal' };
      case 'name':
        if (token.text === 'True' || token.text === 'False') {
          // Python's bools are the ints 1 and 0.
          return { type: 'number', value: { kind: 'int', value: token.text === 'True' ? 1n : 0n } };
        }
        if (token.text === 'None') return { type: 'unsupported', syntax: 'None' };
        if (keywords.has(token.text)) throw this.invalid(token);
        return { type: 'name', name: token.text };
      case 'op':
        if (token.text === '(') return this.parenthesized(token);
        if (token.text === '[') return this.display(token, 'List');
        if (token.text === '{') return this.display(token, 'Dict');
        if (token.text === ')' || token.text === ']' || token.text === '}') {
          throw new ExpressionSyntaxError(`unmatched '${token.text}'`, token.pos + 1);
        }
        throw this.invalid(token);
      case 'end':
        throw this.invalid(token);
      default: {
        const unreachable: never = token;
        return unreachable;
      }
    }
  }

  private parenthesized(open: Token & { kind: 'op' }): ExpressionNode {
    if (this.isOp(')')) {
      this.next();
      return { type: 'unsupported', syntax: 'Tuple' };
    }
    const inner = this.nested(open, () => this.tupleOrTest());
    this.expectClose(open);
    return inner;
  }

  /** `[...]` and `{...}`: parsed only to be refused; `{a, b}` is a Set, `{}` and `{a: b}` a Dict. */
  private display(open: Token & { kind: 'op' }, syntax: 'List' | 'Dict'): ExpressionNode {
    const close = closers[open.text] ?? ']';
    let kind: string = syntax;
    this.nested(open, () => {
      while (!this.isOp(close) && this.peek().kind !== 'end') {
        this.test();
        if (syntax === 'Dict') {
          if (this.isOp(':')) {
            this.next();
            this.test();
          } else {
            kind = 'Set';
          }
        }
        if (!this.isOp(',')) break;
        this.next();
      }
    });
    this.expectClose(open);
    return { type: 'unsupported', syntax: kind };
  }

  private nested<T>(open: Token, inner: () => T): T {
    if (++this.depth > maxNesting)
      throw new ExpressionSyntaxError('too many nested parentheses', open.pos + 1);
    try {
      return inner();
    } finally {
      this.depth--;
    }
  }
}

/** Parse an expression into its tree; throws {@link ExpressionSyntaxError}. */
export function parseExpression(source: string): ExpressionNode {
  return new Parser(tokenize(source)).parseExpression();
}
