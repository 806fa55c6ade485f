import { expect } from 'vitest';
import { LlmprocError } from '../../src/index.js';

/** The LlmprocError `fn` throws, for exact assertions on its code, message and details. */
export function llmprocErrorOf(fn: () => unknown): LlmprocError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LlmprocError);
    return error as LlmprocError;
  }
  throw new Error('expected an LlmprocError, but nothing was thrown');
}
