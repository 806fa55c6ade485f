import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './calculator-eval.js';
import { formatResult } from './calculator.js';

/** The tool's text for an expression: the formatted number, or "error: <detail>". */
function calc(expression: string, precision = 6): string {
  const outcome = evaluateExpression(expression);
  return outcome.ok ? formatResult(outcome.value, precision) : `error: ${outcome.detail}`;
}

describe('calculator precedence', () => {
  it('binds ** tighter than a unary minus on its left', () => {
    expect(calc('-2**2')).toBe('-4');
    expect(calc('(-2)**2')).toBe('4');
  });

  it('groups ** from the right and accepts a signed exponent', () => {
    expect(calc('2**3**2')).toBe('512');
    expect(calc('2**-1')).toBe('0.5');
    expect(calc('-2**-2')).toBe('-0.25');
  });

  it('treats ^ as xor on integers, looser than +', () => {
    expect(calc('5^3')).toBe('6');
    expect(calc('1 + 2 ^ 3')).toBe('0');
  });

  it('gives * and / precedence over + and -', () => {
    expect(calc('2 + 3 * 4 - 6 / 2')).toBe('11');
    expect(calc('(2 + 3) * 4')).toBe('20');
  });

  it('reads Python number literals', () => {
    expect(calc('1_000 + 0x1f + 0o17 + 0b101')).toBe('1051');
    expect(calc('.5 + 5. + 1e-1')).toBe('5.6');
    expect(calc('True + True')).toBe('2');
  });
});

describe('calculator arithmetic', () => {
  it('floors // and % towards negative infinity, as Python does', () => {
    expect(calc('-7 // 2')).toBe('-4');
    expect(calc('-7 % 2')).toBe('1');
    expect(calc('7 % -2')).toBe('-1');
    expect(calc('-7.5 // 2')).toBe('-4');
    expect(calc('1 // 0.1')).toBe('9');
    expect(calc('-10 % 3.5')).toBe('0.5');
  });

  it('keeps integers exact and divides them with correct rounding', () => {
    expect(calc('(2**64 + 1) % 10')).toBe('7');
    expect(calc('10**30 / 7', 0)).toBe('142857142857142852444009529344');
  });

  it('uses Python messages for each kind of division by zero', () => {
    expect(calc('1/0')).toBe('error: Error evaluating expression: division by zero');
    expect(calc('1.0/0')).toBe('error: Error evaluating expression: float division by zero');
    expect(calc('1//0')).toBe(
      'error: Error evaluating expression: integer division or modulo by zero',
    );
    expect(calc('1%0')).toBe('error: Error evaluating expression: integer modulo by zero');
    expect(calc('1.5//0')).toBe('error: Error evaluating expression: float floor division by zero');
    expect(calc('0**-1')).toBe(
      'error: Error evaluating expression: 0.0 cannot be raised to a negative power',
    );
  });

  it('reports float overflow in ** and refuses complex results', () => {
    expect(calc('10.0**400')).toBe(
      "error: Error evaluating expression: (34, 'Numerical result out of range')",
    );
    expect(calc('(-8)**(1/3)')).toBe(
      'error: Error evaluating expression: negative number cannot be raised to a fractional power',
    );
  });

  it('follows Python where its ** differs from Math.pow', () => {
    expect(calc('1**nan')).toBe('1');
    expect(calc('(-1)**inf')).toBe('1');
    expect(calc('nan**0')).toBe('1');
  });

  it('refuses xor on floats with the Python type error', () => {
    expect(calc('1.5^2')).toBe(
      "error: Error evaluating expression: unsupported operand type(s) for ^: 'float' and 'int'",
    );
  });

  it('stops integers that would exhaust memory', () => {
    expect(calc('9**9**9')).toBe(
      'error: Error evaluating expression: integer result too large (more than 100000 bits)',
    );
    expect(calc('1**10**100')).toBe('1');
  });

  it('fails when an integer too large for a float meets a float', () => {
    expect(calc('10**400 + 1.0')).toBe(
      'error: Error evaluating expression: int too large to convert to float',
    );
  });
});

describe('calculator functions', () => {
  it('computes the math functions and constants', () => {
    expect(calc('sqrt(16) + sin(0) + cos(0)')).toBe('5');
    expect(calc('log(8, 2)')).toBe('3');
    expect(calc('log10(1000) + log2(8)')).toBe('6');
    expect(calc('atan2(1, 1) * 4')).toBe('3.141593');
    expect(calc('degrees(pi)')).toBe('180');
    expect(calc('tau / 2', 15)).toBe('3.141592653589793');
    expect(calc('exp(1) - e')).toBe('0');
  });

  it('rounds half to even, to an integer or at a number of places', () => {
    expect(calc('round(2.5)')).toBe('2');
    expect(calc('round(3.5)')).toBe('4');
    expect(calc('round(2.675, 2)')).toBe('2.67');
    expect(calc('round(1250, -2)')).toBe('1200');
  });

  it('returns integers from ceil, floor, trunc, factorial and gcd', () => {
    expect(calc('ceil(1.2) + floor(-1.2) + trunc(-1.7)')).toBe('-1');
    expect(calc('factorial(20)')).toBe('2432902008176640000');
    expect(calc('gcd(12, -18, 30)')).toBe('6');
    expect(calc('gcd()')).toBe('0');
  });

  it('picks the first of equal extremes and compares ints with floats exactly', () => {
    expect(calc('max(1, 2.5, 2)')).toBe('2.5');
    expect(calc('min(3, -1.5, 2)')).toBe('-1.5');
    expect(calc('max(2**53 + 1, 2.0**53)')).toBe('9007199254740993');
  });

  it('takes logarithms of integers too large for a float', () => {
    expect(calc('log(10**400)')).toBe('921.034037');
  });

  it('reports failures inside a function with its name', () => {
    expect(calc('sqrt(-1)')).toBe('error: Error in function sqrt: math domain error');
    expect(calc('exp(1000)')).toBe('error: Error in function exp: math range error');
    expect(calc('log(0)')).toBe('error: Error in function log: math domain error');
    expect(calc('factorial(-1)')).toBe(
      'error: Error in function factorial: factorial() not defined for negative values',
    );
    expect(calc('factorial(2.0)')).toBe(
      "error: Error in function factorial: 'float' object cannot be interpreted as an integer",
    );
    expect(calc('floor(inf)')).toBe(
      'error: Error in function floor: cannot convert float infinity to integer',
    );
    expect(calc('sin(1, 2)')).toBe(
      'error: Error in function sin: math.sin() takes exactly one argument (2 given)',
    );
    expect(calc('atan2(1)')).toBe(
      'error: Error in function atan2: atan2 expected 2 arguments, got 1',
    );
    expect(calc('max(1)')).toBe("error: Error in function max: 'int' object is not iterable");
    expect(calc('min()')).toBe(
      'error: Error in function min: min expected at least 1 argument, got 0',
    );
  });
});

describe('calculator refusals', () => {
  it('refuses unknown names and functions', () => {
    expect(calc('x + 1')).toBe('error: Unknown variable: x');
    expect(calc('sin')).toBe('error: Unknown variable: sin');
    expect(calc('foo(1)')).toBe('error: Function not allowed: foo');
    expect(calc('pi(2)')).toBe('error: Function not allowed: pi');
    expect(calc('constructor(1)')).toBe('error: Function not allowed: constructor');
    expect(calc('__proto__')).toBe('error: Unknown variable: __proto__');
  });

  it('checks the function name before evaluating its arguments', () => {
    expect(calc('open(x)')).toBe('error: Function not allowed: open');
    expect(calc('sqrt(x)')).toBe('error: Unknown variable: x');
  });

  it('names unsupported syntax with Python node names', () => {
    expect(calc('1 < 2')).toBe('error: Unsupported syntax: Compare');
    expect(calc('1 and 2')).toBe('error: Unsupported syntax: BoolOp');
    expect(calc('1 if 1 else 2')).toBe('error: Unsupported syntax: IfExp');
    expect(calc('math.pi')).toBe('error: Unsupported syntax: Attribute');
    expect(calc('[1, 2]')).toBe('error: Unsupported syntax: List');
    expect(calc('(1, 2)')).toBe('error: Unsupported syntax: Tuple');
    expect(calc('{1: 2}')).toBe('error: Unsupported syntax: Dict');
    expect(calc("'abc'")).toBe('error: Unsupported syntax: string literal');
    expect(calc('round(2.567, ndigits=2)')).toBe('error: Unsupported syntax: keyword argument');
  });

  it('names unsupported operators after evaluating both sides, as the original did', () => {
    expect(calc('1 << 2')).toBe('error: Unsupported operation: LShift');
    expect(calc('1 & 3')).toBe('error: Unsupported operation: BitAnd');
    expect(calc('x | 1')).toBe('error: Unknown variable: x');
    expect(calc('~1')).toBe('error: Unsupported unary operation: Invert');
    expect(calc('not 1')).toBe('error: Unsupported unary operation: Not');
  });

  it('reports syntax errors in Python words with the column', () => {
    expect(calc('(1')).toBe("error: Syntax error in expression: '(' was never closed (column 1)");
    expect(calc('1)')).toBe("error: Syntax error in expression: unmatched ')' (column 2)");
    expect(calc('1 +* 2')).toBe('error: Syntax error in expression: invalid syntax (column 4)');
    expect(calc('1__0')).toBe(
      'error: Syntax error in expression: invalid decimal literal (column 1)',
    );
    expect(calc("'abc")).toBe(
      'error: Syntax error in expression: unterminated string literal (column 1)',
    );
    expect(calc('007')).toBe(
      'error: Syntax error in expression: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (column 1)',
    );
  });

  it('refuses nesting deeper than Python allows instead of overflowing the stack', () => {
    expect(calc(`${'('.repeat(250)}1${')'.repeat(250)}`)).toBe(
      'error: Syntax error in expression: too many nested parentheses (column 201)',
    );
    expect(calc(`${'-'.repeat(9_000)}1`)).toBe(
      'error: Syntax error in expression: too many nested parentheses (column 201)',
    );
  });

  it('accepts surrounding whitespace and line breaks', () => {
    expect(calc('  1 +\n 2  ')).toBe('3');
  });
});
