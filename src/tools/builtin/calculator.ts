import { z } from '../../internal/zod.js';
import { defineTool } from '../define-tool.js';
import { ToolResult } from '../tool-result.js';
import type { Tool } from '../types.js';
import { evaluateExpression } from './calculator-eval.js';
import { formatFixed } from './calculator-numbers.js';
import type { CalcValue } from './calculator-parse.js';

const defaultPrecision = 6;

/**
 * Python's `int(precision)`: whole numbers, floats truncated, bools, and integer strings such as
 * " 3 " or "1_0". Anything else is refused with the original's message.
 */
function parsePrecision(value: unknown): number | undefined {
  if (value === undefined) return defaultPrecision;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) {
    return Number(value.trim().replaceAll('_', ''));
  }
  return undefined;
}

/**
 * The result as the original printed it: `precision` decimals, trailing zeros and dot stripped.
 * Two deliberate differences: integers print exactly (the original went through a float, so 3**50
 * came out as ...578422784 instead of ...588770249, and 200! failed), and the original's strip also
 * ate the zeros of a whole number at precision 0 ("10" became "1"); "-0" prints as "0".
 */
export function formatResult(value: CalcValue, precision: number): string {
  if (value.kind === 'int') return value.value.toString();
  const x = value.value;
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  let text = formatFixed(x, precision);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

/**
 * The `calculator` builtin (read access): evaluates an arithmetic expression with Python's
 * semantics (exact integers, `//` and `%` flooring, `**` above unary minus, `^` as xor) through
 * its own parser; nothing is ever passed to `eval`.
 */
export const calculatorTool: Tool = defineTool({
  name: 'calculator',
  description:
    'A tool for evaluating mathematical expressions safely.\nIt supports basic arithmetic, mathematical functions, and constants.',
  access: 'read',
  parameters: z.object({
    // Checked in execute, so that a wrong type gets the original's message rather than zod's.
    expression: z.unknown().nonoptional().meta({
      type: 'string',
      description:
        'The mathematical expression to evaluate. Supports operations like +, -, *, /, //, %, **, functions like sin, cos, sqrt, and constants like pi, e.',
    }),
    precision: z.unknown().optional().meta({
      type: 'integer',
      default: defaultPrecision,
      description: 'Number of decimal places in the result (between 0 and 15, default: 6).',
    }),
  }),
  execute: ({ expression, precision }) => {
    if (typeof expression !== 'string' || expression === '') {
      return ToolResult.fromError('Expression must be a non-empty string.');
    }
    const places = parsePrecision(precision);
    if (places === undefined) return ToolResult.fromError('Precision must be an integer.');
    if (places < 0 || places > 15)
      return ToolResult.fromError('Precision must be between 0 and 15.');
    const outcome = evaluateExpression(expression);
    if (!outcome.ok) return ToolResult.fromError(`Calculation error: ${outcome.detail}`);
    return ToolResult.fromSuccess(formatResult(outcome.value, places));
  },
});
