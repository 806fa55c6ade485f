import { describe, expect, it } from 'vitest';
import { ConfigError, LlmprocError } from '../index.js';
import { formatError, isAbortError, isEnvFlagSet } from './errors.js';

describe('formatError', () => {
  it('prints the first line of the message after the prefix, without a stack', () => {
    const error = new LlmprocError(
      'CONFIG_SYNTAX',
      'Error loading TOML file a.toml: line 1\n\n1: x =\n     ^',
    );
    expect(formatError('Error loading program file', error, false)).toBe(
      'Error loading program file: a.toml: line 1',
    );
    expect(formatError('Error', error, false)).toBe(
      'Error: Error loading TOML file a.toml: line 1',
    );
  });

  it('lists every problem of a config that fails validation on one line', () => {
    const error = new ConfigError(
      'CONFIG_INVALID',
      'a.toml: "model.x" is not a known key\na.toml: "prompt.y" is not a known key',
    );
    expect(formatError('Error', error, false)).toBe(
      'Error: a.toml: "model.x" is not a known key; a.toml: "prompt.y" is not a known key',
    );
  });

  it('adds the stack and the causes in debug mode', () => {
    const error = new Error('outer', { cause: new Error('inner') });
    const text = formatError('Error', error, true);
    expect(text).toMatch(/^Error: outer\nError: outer\n {4}at /);
    expect(text).toContain('Caused by: Error: inner');
  });

  it('formats values that are not errors', () => {
    expect(formatError('Error', 'plain', false)).toBe('Error: plain');
    expect(formatError('Error', { a: 1 }, false)).toBe('Error: {"a":1}');
  });
});

describe('error helpers', () => {
  it('reads DEBUG-style flags', () => {
    expect([undefined, '', '0', 'false', 'FALSE'].map(isEnvFlagSet)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['1', 'true', 'llmproc'].map(isEnvFlagSet)).toEqual([true, true, true]);
  });

  it('recognizes a cancelled run', () => {
    expect(isAbortError(new LlmprocError('ABORTED', 'aborted'))).toBe(true);
    expect(isAbortError(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
  });
});
