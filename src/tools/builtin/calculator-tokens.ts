/**
 * The calculator's tokenizer: Python's number literals (underscores, 0x/0o/0b, exponents, imaginary
 * suffix), names, string literals (read only so they can be refused), and Python's operators.
 */

/** A number as Python keeps it: exact integers apart from floats. */
export type CalcValue = { kind: 'int'; value: bigint } | { kind: 'float'; value: number };

/** A parse failure; `message` follows Python's wording where there is one. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, column?: number) {
    super(column === undefined ? message : `${message} (column ${column})`);
    this.name = 'ExpressionSyntaxError';
  }
}

export type Token =
  | { kind: 'number'; value: CalcValue | 'complex'; pos: number }
  | { kind: 'name'; text: string; pos: number }
  | { kind: 'string'; pos: number }
  | { kind: 'op'; text: string; pos: number }
  | { kind: 'end'; pos: number };

// Longest first, so that "**" is not read as two "*".
const operators = '** // << >> <= >= == != + - * / % ^ & | ~ < > ( ) [ ] { } , . : @ ='.split(' ');

export const keywords: ReadonlySet<string> = new Set(
  'and or not in is if else lambda None True False'.split(' '),
);

const digitPart = '[0-9](?:_?[0-9])*';
const exponent = `[eE][+-]?${digitPart}`;
const pointFloat = `(?:(?:${digitPart})?\\.${digitPart}|${digitPart}\\.)`;
const numberPatterns: { pattern: RegExp; kind: 'hex' | 'octal' | 'binary' | 'float' | 'int' }[] = [
  { pattern: /^0[xX](?:_?[0-9a-fA-F])+/, kind: 'hex' },
  { pattern: /^0[oO](?:_?[0-7])+/, kind: 'octal' },
  { pattern: /^0[bB](?:_?[01])+/, kind: 'binary' },
  {
    pattern: new RegExp(`^(?:${pointFloat}(?:${exponent})?|${digitPart}${exponent})`),
    kind: 'float',
  },
  { pattern: new RegExp(`^${digitPart}`), kind: 'int' },
];

function readNumber(source: string, start: number): { token: Token; end: number } {
  const rest = source.slice(start);
  const match = numberPatterns.map((p) => ({ ...p, m: p.pattern.exec(rest) })).find((p) => p.m);
  if (!match?.m) throw new ExpressionSyntaxError('invalid decimal literal', start + 1);
  const text = match.m[0];
  let end = start + text.length;
  const clean = text.replaceAll('_', '');
  let value: CalcValue | 'complex';
  if (match.kind === 'float') {
    value = { kind: 'float', value: Number(clean) };
  } else if (match.kind === 'int') {
    if (/^0+[1-9]/.test(clean)) {
      throw new ExpressionSyntaxError(
        'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
        start + 1,
      );
    }
    value = { kind: 'int', value: BigInt(clean) };
  } else {
    // BigInt understands the 0x / 0o / 0b prefixes itself.
    value = { kind: 'int', value: BigInt(clean.toLowerCase()) };
  }
  if (/^[jJ]/.test(source.slice(end)) && (match.kind === 'int' || match.kind === 'float')) {
    value = 'complex';
    end += 1;
  }
  if (/^[\p{L}\p{N}_.]/u.test(source.slice(end))) {
    const label = {
      hex: 'hexadecimal',
      octal: 'octal',
      binary: 'binary',
      float: 'decimal',
      int: 'decimal',
    };
    throw new ExpressionSyntaxError(`invalid ${label[match.kind]} literal`, start + 1);
  }
  return { token: { kind: 'number', value, pos: start }, end };
}

function readString(source: string, start: number): number {
  const quote = source[start];
  for (let i = start + 1; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (char === quote) return i + 1;
    else if (char === '\n') break;
  }
  throw new ExpressionSyntaxError('unterminated string literal', start + 1);
}

/** Split an expression into tokens. Exported for tests. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source.charAt(i);
    if (/\s/.test(char) || (char === '\\' && source[i + 1] === '\n')) {
      i += char === '\\' ? 2 : 1;
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const { token, end } = readNumber(source, i);
      tokens.push(token);
      i = end;
    } else if (/[\p{L}_]/u.test(char)) {
      const name = /^[\p{L}\p{N}_]+/u.exec(source.slice(i))?.[0] ?? char;
      tokens.push({ kind: 'name', text: name, pos: i });
      i += name.length;
    } else if (char === '"' || char === "'") {
      const end = readString(source, i);
      tokens.push({ kind: 'string', pos: i });
      i = end;
    } else {
      const op = operators.find((candidate) => source.startsWith(candidate, i));
      if (!op) throw new ExpressionSyntaxError(`invalid character '${char}'`, i + 1);
      tokens.push({ kind: 'op', text: op, pos: i });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', pos: source.length });
  return tokens;
}
