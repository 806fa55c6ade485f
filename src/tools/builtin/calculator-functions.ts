/**
 * The calculator's functions, each behaving like its Python counterpart (`abs`, `round`, `min`,
 * `max` builtins and the `math` module), including Python's error texts.
 */
import { checkCalculationBudget } from './calculator-budget.js';
import type { CalcValue } from './calculator-parse.js';
import {
  ArithmeticFailure,
  bitLength,
  checkedInt,
  divideFloats,
  float,
  int,
  isLess,
  maxIntegerBits,
  roundFloat,
  roundInt,
  roundToInt,
  toFloat,
  toIntegral,
  typeName,
} from './calculator-numbers.js';

type CalcFunction = (args: CalcValue[]) => CalcValue;

function exactlyOne(name: string, args: CalcValue[]): CalcValue {
  const [arg] = args;
  if (args.length !== 1 || !arg)
    throw new ArithmeticFailure(`${name}() takes exactly one argument (${args.length} given)`);
  return arg;
}

function asInteger(value: CalcValue): bigint {
  if (value.kind === 'float')
    throw new ArithmeticFailure("'float' object cannot be interpreted as an integer");
  return value.value;
}

/**
 * A `math` function of one float, with CPython's checks (Modules/mathmodule.c, math_1): a NaN from a
 * non-NaN input is a domain error, an infinity from a finite input a range error when the function
 * can overflow, else a domain error.
 */
function unary(name: string, compute: (x: number) => number, canOverflow = false): CalcFunction {
  return (args) => {
    const x = toFloat(exactlyOne(`math.${name}`, args));
    const result = compute(x);
    if (Number.isNaN(result) && !Number.isNaN(x)) throw new ArithmeticFailure('math domain error');
    if (!Number.isFinite(result) && Number.isFinite(x)) {
      throw new ArithmeticFailure(canOverflow ? 'math range error' : 'math domain error');
    }
    return float(result);
  };
}

/** `math.log` and friends accept integers too large for a float, as Python's do. */
function logarithm(value: CalcValue, log: (x: number) => number): number {
  if (value.kind === 'int') {
    if (value.value <= 0n) throw new ArithmeticFailure('math domain error');
    const excess = bitLength(value.value) - 1000;
    if (excess > 0) {
      // log(n) = log(n / 2^k) + k * log(2), with n / 2^k still a finite float.
      return log(Number(value.value >> BigInt(excess))) + excess * log(2);
    }
  }
  const x = toFloat(value);
  if (Number.isNaN(x)) return x;
  if (x <= 0) throw new ArithmeticFailure('math domain error');
  return log(x);
}

function rounding(name: string, roundFloatToInt: (x: number) => number): CalcFunction {
  return (args) => {
    const x = exactlyOne(`math.${name}`, args);
    if (x.kind === 'int') return x;
    return int(BigInt(roundFloatToInt(toIntegral(x.value))));
  };
}

function extreme(name: 'min' | 'max'): CalcFunction {
  return (args) => {
    const [first, ...rest] = args;
    if (!first) throw new ArithmeticFailure(`${name} expected at least 1 argument, got 0`);
    if (rest.length === 0)
      throw new ArithmeticFailure(`'${typeName(first)}' object is not iterable`);
    // Python keeps the current pick unless a later one is strictly better, so NaN handling matches.
    return rest.reduce(
      (best, candidate) =>
        (name === 'min' ? isLess(candidate, best) : isLess(best, candidate)) ? candidate : best,
      first,
    );
  };
}

function round(args: CalcValue[]): CalcValue {
  const [value, places] = args;
  if (!value) throw new ArithmeticFailure("round() missing required argument 'number' (pos 1)");
  if (args.length > 2)
    throw new ArithmeticFailure(`round() takes at most 2 arguments (${args.length} given)`);
  if (!places) return value.kind === 'int' ? value : int(roundToInt(value.value));
  const digits = asInteger(places);
  return value.kind === 'int'
    ? checkedInt(roundInt(value.value, digits))
    : float(roundFloat(value.value, digits));
}

function log(args: CalcValue[]): CalcValue {
  const [value, base] = args;
  if (!value || args.length > 2) throw new ArithmeticFailure('math.log requires 1 to 2 arguments');
  const numerator = logarithm(value, Math.log);
  if (!base) return float(numerator);
  return float(divideFloats(numerator, logarithm(base, Math.log)));
}

function factorial(args: CalcValue[]): CalcValue {
  const n = asInteger(exactlyOne('math.factorial', args));
  if (n < 0n) throw new ArithmeticFailure('factorial() not defined for negative values');
  let product = 1n;
  for (let k = 2n; k <= n; k++) {
    product *= k;
    // Checked as it grows, so factorial(10**9) stops early instead of running for minutes.
    if (k % 64n === 0n) {
      if (bitLength(product) > maxIntegerBits) checkedInt(product);
      checkCalculationBudget();
    }
  }
  return checkedInt(product);
}

function gcd(args: CalcValue[]): CalcValue {
  let result = 0n;
  for (const arg of args) {
    let a = asInteger(arg);
    let b = result;
    a = a < 0n ? -a : a;
    // Euclid takes a step per bit or so, each a division of the full numbers: about a second for
    // two 100,000-bit integers, so the budget is checked on the way.
    while (b !== 0n) {
      [a, b] = [b, a % b];
      checkCalculationBudget();
    }
    result = a;
  }
  return int(result);
}

function atan2(args: CalcValue[]): CalcValue {
  const [y, x] = args;
  if (args.length !== 2 || !y || !x)
    throw new ArithmeticFailure(`atan2 expected 2 arguments, got ${args.length}`);
  return float(Math.atan2(toFloat(y), toFloat(x)));
}

function abs(args: CalcValue[]): CalcValue {
  const value = exactlyOne('abs', args);
  return value.kind === 'int'
    ? int(value.value < 0n ? -value.value : value.value)
    : float(Math.abs(value.value));
}

function logTo(name: string, compute: (x: number) => number): CalcFunction {
  return (args) => float(logarithm(exactlyOne(`math.${name}`, args), compute));
}

/** The only functions an expression may call. A `Map`, so that `constructor` or `__proto__` are not found. */
export const calculatorFunctions: ReadonlyMap<string, CalcFunction> = new Map<string, CalcFunction>(
  [
    ['abs', abs],
    ['round', round],
    ['min', extreme('min')],
    ['max', extreme('max')],
    ['sin', unary('sin', Math.sin)],
    ['cos', unary('cos', Math.cos)],
    ['tan', unary('tan', Math.tan)],
    ['asin', unary('asin', Math.asin)],
    ['acos', unary('acos', Math.acos)],
    ['atan', unary('atan', Math.atan)],
    ['atan2', atan2],
    ['sinh', unary('sinh', Math.sinh, true)],
    ['cosh', unary('cosh', Math.cosh, true)],
    ['tanh', unary('tanh', Math.tanh)],
    ['sqrt', unary('sqrt', Math.sqrt)],
    ['exp', unary('exp', Math.exp, true)],
    ['log', log],
    ['log10', logTo('log10', Math.log10)],
    ['log2', logTo('log2', Math.log2)],
    // Python computes these as plain products, which overflow to infinity without an error.
    ['degrees', (args) => float(toFloat(exactlyOne('math.degrees', args)) * (180 / Math.PI))],
    ['radians', (args) => float(toFloat(exactlyOne('math.radians', args)) * (Math.PI / 180))],
    ['ceil', rounding('ceil', Math.ceil)],
    ['floor', rounding('floor', Math.floor)],
    ['trunc', rounding('trunc', Math.trunc)],
    ['factorial', factorial],
    ['gcd', gcd],
  ],
);

/** The names an expression may use as values. */
export const calculatorConstants: ReadonlyMap<string, CalcValue> = new Map([
  ['pi', float(Math.PI)],
  ['e', float(Math.E)],
  ['tau', float(2 * Math.PI)],
  ['inf', float(Infinity)],
  ['nan', float(NaN)],
]);
