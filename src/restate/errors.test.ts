import * as restate from '@restatedev/restate-sdk';
import { describe, expect, it } from 'vitest';
import { LlmprocError, ProviderError } from '../index.js';
import { fromRestateError, isTerminal, toRestateError } from './errors.js';

const providerError = (status?: number): ProviderError =>
  new ProviderError(`anthropic API error ${String(status)}: nope`, {
    provider: 'anthropic',
    ...(status === undefined ? {} : { status }),
  });

describe('which failures Restate retries', () => {
  it('retries transient provider errors and unknown errors, and ends the run on the rest', () => {
    expect([429, 500, 529, 408, 409, undefined].map((s) => isTerminal(providerError(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([400, 401, 403, 404].map((s) => isTerminal(providerError(s)))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(isTerminal(new LlmprocError('ABORTED', 'stopped'))).toBe(true);
    expect(isTerminal(new LlmprocError('MISSING_CREDENTIALS', 'no key'))).toBe(true);
    expect(isTerminal(new TypeError('a bug'))).toBe(false);
  });

  it('rebuilds the same llmproc error from what the journal recorded', () => {
    const recorded = toRestateError(providerError(400));
    expect(recorded).toBeInstanceOf(restate.TerminalError);
    const rebuilt = fromRestateError(recorded);
    expect(rebuilt).toBeInstanceOf(ProviderError);
    expect(rebuilt).toMatchObject({
      name: 'ProviderError',
      code: 'PROVIDER_ERROR',
      message: 'anthropic API error 400: nope',
      provider: 'anthropic',
      status: 400,
    });
    const aborted = fromRestateError(toRestateError(new LlmprocError('ABORTED', 'stopped')));
    expect(aborted).toMatchObject({ name: 'LlmprocError', code: 'ABORTED', message: 'stopped' });
    expect(fromRestateError(new restate.CancelledError())).toMatchObject({ code: 'ABORTED' });
  });

  it('leaves a transient error for Restate to retry as it is', () => {
    const error = providerError(529);
    expect(toRestateError(error)).toBe(error);
  });
});
