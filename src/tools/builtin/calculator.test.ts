import { describe, expect, it } from 'vitest';
import { calculatorTool } from './calculator.js';
import { callTool } from './tool-harness.test-helper.js';

async function calculate(
  expression: unknown,
  precision?: unknown,
): Promise<{ content: unknown; isError: boolean }> {
  const args: Record<string, unknown> = { expression };
  if (precision !== undefined) args['precision'] = precision;
  const result = await callTool(calculatorTool, args);
  return { content: result.content, isError: result.isError };
}

describe('calculator tool', () => {
  it('computes 2**10 as the exact integer 1024 (B58)', async () => {
    expect(await calculate('2**10')).toEqual({ content: '1024', isError: false });
  });

  it('rounds 1/3 to the requested precision (B58)', async () => {
    expect(await calculate('1/3', 3)).toEqual({ content: '0.333', isError: false });
    expect(await calculate('1/3')).toEqual({ content: '0.333333', isError: false });
  });

  it('reports division by zero as an error result (B59)', async () => {
    expect(await calculate('1/0')).toEqual({
      content: 'Calculation error: Error evaluating expression: division by zero',
      isError: true,
    });
  });

  it('refuses __import__ as a function that is not allowed (B60)', async () => {
    expect(await calculate("__import__('os')")).toEqual({
      content: 'Calculation error: Function not allowed: __import__',
      isError: true,
    });
  });

  it('refuses a precision above 15 (B61)', async () => {
    expect(await calculate('1+1', 16)).toEqual({
      content: 'Precision must be between 0 and 15.',
      isError: true,
    });
    expect(await calculate('1+1', -1)).toEqual({
      content: 'Precision must be between 0 and 15.',
      isError: true,
    });
  });

  it('refuses a precision that is not an integer, and truncates a float one as Python int() does', async () => {
    expect(await calculate('1+1', 'abc')).toEqual({
      content: 'Precision must be an integer.',
      isError: true,
    });
    expect(await calculate('1+1', null)).toEqual({
      content: 'Precision must be an integer.',
      isError: true,
    });
    expect(await calculate('pi', 2.9)).toEqual({ content: '3.14', isError: false });
    expect(await calculate('pi', ' 3 ')).toEqual({ content: '3.142', isError: false });
  });

  it('refuses an empty or non-string expression', async () => {
    expect(await calculate('')).toEqual({
      content: 'Expression must be a non-empty string.',
      isError: true,
    });
    expect(await calculate(42)).toEqual({
      content: 'Expression must be a non-empty string.',
      isError: true,
    });
  });

  it('names a missing expression as a missing required parameter', async () => {
    const result = await callTool(calculatorTool, {});
    expect(result.contentText()).toBe(
      "Tool 'calculator' error: Missing required parameter: expression",
    );
  });

  it('prints NaN and the infinities by name', async () => {
    expect((await calculate('nan')).content).toBe('NaN');
    expect((await calculate('inf')).content).toBe('Infinity');
    expect((await calculate('-inf')).content).toBe('-Infinity');
  });

  it('strips trailing zeros but keeps the zeros of a whole number at precision 0', async () => {
    expect((await calculate('pi')).content).toBe('3.141593');
    expect((await calculate('10/4')).content).toBe('2.5');
    expect((await calculate('10', 0)).content).toBe('10');
    expect((await calculate('1e3', 0)).content).toBe('1000');
  });

  it('rounds exact ties to even, as Python formatting does', async () => {
    expect((await calculate('0.125', 2)).content).toBe('0.12');
    expect((await calculate('2.5', 0)).content).toBe('2');
  });

  it('prints a negative value that rounds to zero as 0', async () => {
    expect((await calculate('-1e-9')).content).toBe('0');
    expect((await calculate('-0.0')).content).toBe('0');
  });

  it('prints large floats in full rather than in exponent notation', async () => {
    expect((await calculate('1e22')).content).toBe('10000000000000000000000');
  });

  it('prints integers beyond 2^53 exactly', async () => {
    expect((await calculate('2**64-1')).content).toBe('18446744073709551615');
    expect((await calculate('factorial(25)')).content).toBe('15511210043330985984000000');
  });

  it('reports syntax errors with the calculator prefix', async () => {
    expect(await calculate('2 +')).toEqual({
      content: 'Calculation error: Syntax error in expression: invalid syntax (column 4)',
      isError: true,
    });
  });

  it('describes its parameters to the model with the original defaults', () => {
    expect(calculatorTool.access).toBe('read');
    expect(calculatorTool.inputSchema).toEqual({
      type: 'object',
      properties: {
        expression: {
          type: 'string',
          description:
            'The mathematical expression to evaluate. Supports operations like +, -, *, /, //, %, **, functions like sin, cos, sqrt, and constants like pi, e.',
        },
        precision: {
          type: 'integer',
          default: 6,
          description: 'Number of decimal places in the result (between 0 and 15, default: 6).',
        },
      },
      required: ['expression'],
    });
  });
});
