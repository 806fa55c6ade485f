/**
 * Python's number semantics for the calculator: exact integers (BigInt) beside IEEE floats, Python's
 * floor division and modulo, its `**` rules and error messages, and exact decimal formatting.
 */
import type { CalcValue } from './calculator-parse.js';

/**
 * A failure Python raises while computing (ZeroDivisionError, OverflowError, TypeError, or a math
 * ValueError). The message is Python's text, e.g. "division by zero".
 */
export class ArithmeticFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArithmeticFailure';
  }
}

/**
 * Integers are exact, as in Python, but capped so that `9**9**9` fails fast instead of eating
 * memory (Python would try, and hang). 100,000 bits is about 30,000 digits; 8000! fits.
 */
export const maxIntegerBits = 100_000;

export const int = (value: bigint): CalcValue => ({ kind: 'int', value });
export const float = (value: number): CalcValue => ({ kind: 'float', value });

export function bitLength(value: bigint): number {
  return value === 0n ? 0 : (value < 0n ? -value : value).toString(2).length;
}

export function checkedInt(value: bigint): CalcValue {
  if (bitLength(value) > maxIntegerBits) {
    throw new ArithmeticFailure(`integer result too large (more than ${maxIntegerBits} bits)`);
  }
  return int(value);
}

/** An exact product, refused before it is computed when it would pass the size bound. */
export function multiplyInts(a: bigint, b: bigint): CalcValue {
  // |a*b| has bitLength(a) + bitLength(b) or one fewer bits.
  if (bitLength(a) + bitLength(b) - 1 > maxIntegerBits) {
    throw new ArithmeticFailure(`integer result too large (more than ${maxIntegerBits} bits)`);
  }
  return int(a * b);
}

/** Python's `float(x)`: exact for small integers, correctly rounded otherwise. */
export function toFloat(value: CalcValue): number {
  if (value.kind === 'float') return value.value;
  const converted = Number(value.value);
  if (!Number.isFinite(converted)) throw new ArithmeticFailure('int too large to convert to float');
  return converted;
}

export function typeName(value: CalcValue): string {
  return value.kind === 'int' ? 'int' : 'float';
}

/** Python's `a < b` across ints and floats, exact even for integers beyond 2^53. */
export function isLess(a: CalcValue, b: CalcValue): boolean {
  return compare(a, b) < 0;
}

/** -1, 0 or 1; NaN compares as "unordered", which is reported as 0 and then `isLess` is false. */
function compare(a: CalcValue, b: CalcValue): number {
  if (a.kind === 'int' && b.kind === 'int')
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a.kind === 'float' && b.kind === 'float')
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a.kind === 'int' && b.kind === 'float') return compareIntToFloat(a.value, b.value);
  if (a.kind === 'float' && b.kind === 'int') return -compareIntToFloat(b.value, a.value);
  return 0;
}

function compareIntToFloat(i: bigint, f: number): number {
  if (Number.isNaN(f)) return 0;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  // An integer is above a non-integer float exactly when it is above its floor.
  const floor = BigInt(Math.floor(f));
  if (i !== floor) return i < floor ? -1 : 1;
  return Number.isInteger(f) ? 0 : -1;
}

/** `|x| = digits / 10^scale`, exactly: every double is a finite decimal. */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  // m / 2^k = m * 5^k / 10^k
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/**
 * `|x|` rounded half-to-even at `places` decimals (negative places round to tens, hundreds...), as
 * an integer count of 10^-places units. This is what Python's `%.Nf` and `round(x, n)` do; JS's
 * `toFixed` rounds ties away from zero and switches to exponent notation at 1e21.
 */
function roundedUnits(x: number, places: number): bigint {
  const { digits, scale } = exactDecimal(x);
  const drop = scale - places;
  if (drop <= 0) return digits * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  let units = digits / divisor;
  const twice = (digits % divisor) * 2n;
  if (twice > divisor || (twice === divisor && units % 2n === 1n)) units += 1n;
  return units;
}

/** Python's `f"{x:.{places}f}"` for a finite float. */
export function formatFixed(x: number, places: number): string {
  const units = roundedUnits(x, places)
    .toString()
    .padStart(places + 1, '0');
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (places === 0) return sign + units;
  return `${sign}${units.slice(0, -places)}.${units.slice(-places)}`;
}

/** Python's `round(x, n)` for a float. */
export function roundFloat(x: number, places: bigint): number {
  if (!Number.isFinite(x) || x === 0) return x;
  // Past these bounds every double is unchanged, or rounds to zero; Python short-cuts the same way.
  if (places > 400n) return x;
  if (places < -400n) return x < 0 ? -0 : 0;
  const p = Number(places);
  const units = roundedUnits(x, p);
  const magnitude =
    p >= 0 ? Number(`${units.toString()}e-${p}`) : Number(units * 10n ** BigInt(-p));
  if (!Number.isFinite(magnitude))
    throw new ArithmeticFailure('rounded value too large to represent');
  return x < 0 ? -magnitude : magnitude;
}

/** Python's `round(n, places)` for an int: half-to-even at a power of ten. */
export function roundInt(n: bigint, places: bigint): bigint {
  if (places >= 0n) return n;
  // A unit more than twice |n| rounds it to zero; checked first, as 10 ** -places could be huge.
  if (-places > BigInt((n < 0n ? -n : n).toString().length)) return 0n;
  const unit = 10n ** -places;
  const remainder = ((n % unit) + unit) % unit;
  const down = n - remainder;
  const twice = remainder * 2n;
  if (twice > unit || (twice === unit && (down / unit) % 2n !== 0n)) return down + unit;
  return down;
}

/** Python's round-half-even of a float to an int (`round(x)`). */
export function roundToInt(x: number): bigint {
  const floor = Math.floor(toIntegral(x));
  const diff = x - floor;
  const up = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0);
  return BigInt(floor) + (up ? 1n : 0n);
}

/** Reject what Python cannot turn into an integer, then return x (still a float). */
export function toIntegral(x: number): number {
  if (Number.isNaN(x)) throw new ArithmeticFailure('cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw new ArithmeticFailure('cannot convert float infinity to integer');
  return x;
}

function scaleByPowerOfTwo(x: number, exponent: number): number {
  let result = x;
  let remaining = exponent;
  // 2 ** ±1000 is a finite double; larger steps would overflow or underflow to zero.
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
  }
  return result * 2 ** remaining;
}

/** Python's int / int: the correctly rounded quotient, even for integers beyond 2^53. */
export function divideInts(a: bigint, b: bigint): number {
  if (b === 0n) throw new ArithmeticFailure('division by zero');
  const limit = 2n ** 53n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  if (absA <= limit && absB <= limit) return Number(a) / Number(b);
  // Scale so the integer quotient has 55+ bits, fold the remainder into a sticky low bit, and let
  // Number() round once.
  const shift = 55 - (bitLength(absA) - bitLength(absB));
  const numerator = shift >= 0 ? absA << BigInt(shift) : absA;
  const denominator = shift >= 0 ? absB : absB << BigInt(-shift);
  let quotient = numerator / denominator;
  if (numerator % denominator !== 0n) quotient |= 1n;
  const magnitude = scaleByPowerOfTwo(Number(quotient), -shift);
  if (!Number.isFinite(magnitude))
    throw new ArithmeticFailure('integer division result too large for a float');
  return a < 0n !== b < 0n ? -magnitude : magnitude;
}

export function floorDivideInts(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new ArithmeticFailure('integer division or modulo by zero');
  const quotient = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient;
}

export function moduloInts(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new ArithmeticFailure('integer modulo by zero');
  const remainder = a % b;
  return remainder !== 0n && remainder < 0n !== b < 0n ? remainder + b : remainder;
}

/** Python's float divmod (Objects/floatobject.c), which `//` and `%` are built on. */
function floatDivmod(x: number, y: number): { div: number; mod: number } {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = y < 0 ? -0 : 0;
  }
  let floorDiv: number;
  if (div !== 0) {
    floorDiv = Math.floor(div);
    if (div - floorDiv > 0.5) floorDiv += 1;
  } else {
    floorDiv = x / y < 0 || Object.is(x / y, -0) ? -0 : 0;
  }
  return { div: floorDiv, mod };
}

export function floorDivideFloats(x: number, y: number): number {
  if (y === 0) throw new ArithmeticFailure('float floor division by zero');
  return floatDivmod(x, y).div;
}

export function moduloFloats(x: number, y: number): number {
  if (y === 0) throw new ArithmeticFailure('float modulo');
  return floatDivmod(x, y).mod;
}

export function divideFloats(x: number, y: number): number {
  if (y === 0) throw new ArithmeticFailure('float division by zero');
  return x / y;
}

/** Python's float `**` (float_pow): its special cases differ from Math.pow at 1 and -1. */
export function powerFloats(base: number, exponent: number): number {
  if (exponent === 0 || base === 1) return 1;
  if (Number.isNaN(base) || Number.isNaN(exponent)) return NaN;
  if (!Number.isFinite(exponent) && Math.abs(base) === 1) return 1;
  if (base === 0 && exponent < 0)
    throw new ArithmeticFailure('0.0 cannot be raised to a negative power');
  if (
    base < 0 &&
    Number.isFinite(base) &&
    Number.isFinite(exponent) &&
    !Number.isInteger(exponent)
  ) {
    // Python returns a complex number here; the calculator has no complex numbers.
    throw new ArithmeticFailure('negative number cannot be raised to a fractional power');
  }
  const result = base ** exponent;
  if (!Number.isFinite(result) && Number.isFinite(base) && Number.isFinite(exponent)) {
    throw new ArithmeticFailure("(34, 'Numerical result out of range')");
  }
  return result;
}

/** Python's int `**`: exact for non-negative exponents, a float power for negative ones. */
export function power(base: CalcValue, exponent: CalcValue): CalcValue {
  if (base.kind === 'int' && exponent.kind === 'int') {
    if (exponent.value < 0n) return float(powerFloats(toFloat(base), toFloat(exponent)));
    const b = base.value;
    if (b === 0n || b === 1n) return int(exponent.value === 0n ? 1n : b);
    if (b === -1n) return int(exponent.value % 2n === 0n ? 1n : -1n);
    // Bound the size before computing, so that 10**10**10 fails at once.
    if (BigInt(bitLength(b) - 1) * exponent.value > BigInt(maxIntegerBits)) {
      throw new ArithmeticFailure(`integer result too large (more than ${maxIntegerBits} bits)`);
    }
    return checkedInt(b ** exponent.value);
  }
  return float(powerFloats(toFloat(base), toFloat(exponent)));
}
