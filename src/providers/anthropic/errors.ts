import type * as Sdk from '@anthropic-ai/sdk';
import { LlmprocError, ProviderError } from '../../errors.js';
import { transportFailure } from '../faults.js';

/** Error types of a stream's `error` event (HTTP 200, no status) that a later attempt may pass. */
const retryableStreamErrorTypes = new Set([
  'overloaded_error',
  'rate_limit_error',
  'api_error',
  'timeout_error',
]);

/** The SDK's error classes, taken from the module loaded at `createProvider` (no static SDK import). */
export type SdkErrorClasses = Pick<
  typeof Sdk,
  'AnthropicError' | 'APIError' | 'APIUserAbortError' | 'APIConnectionError'
>;

/**
 * What a failed SDK call becomes:
 *
 * - the caller's signal fired (or the SDK reports a user abort): `LlmprocError` code `ABORTED`;
 * - an HTTP error after the SDK's retries: `ProviderError` "<provider> API error <status> (<type>):
 *   <API message>" with `status`, and the API's error type and request id in `details`;
 * - an `error` event in the middle of a stream (HTTP 200, so no status): the same without a status;
 * - no connection or a timeout, after the SDK's retries: `ProviderError` "<provider> API connection
 *   error: ..." without status, retryable;
 * - anything else (a reset in the middle of a body, a body that is not JSON, a stream cut before
 *   its end, which the SDK lets through raw or as a bare `AnthropicError`): a retryable
 *   `ProviderError` from faults.ts, which the registry's wrapper retries.
 *
 * `retryable` and `requestId` are set on every ProviderError; the SDK error is kept as `cause`.
 */
export function toProviderError(
  error: unknown,
  context: { provider: string; sdk: SdkErrorClasses; signal?: AbortSignal | undefined },
): unknown {
  const { provider, sdk, signal } = context;
  if (signal?.aborted === true || error instanceof sdk.APIUserAbortError) {
    return new LlmprocError('ABORTED', `${provider} request was aborted`, { cause: error });
  }
  if (error instanceof sdk.APIConnectionError) {
    return new ProviderError(`${provider} API connection error: ${error.message}`, {
      provider,
      retryable: true,
      cause: error,
      details: { fault: 'connection' },
    });
  }
  if (error instanceof sdk.APIError) {
    const apiMessage = error.apiMessage ?? error.message;
    const details: Record<string, unknown> = {};
    if (error.type != null) details['type'] = error.type;
    if (error.requestID != null) details['requestId'] = error.requestID;
    const status = typeof error.status === 'number' ? error.status : undefined;
    if (status === undefined) {
      const kind = error.type == null ? 'stream error' : `stream error, ${error.type}`;
      return new ProviderError(`${provider} API error (${kind}): ${apiMessage}`, {
        provider,
        retryable: error.type != null && retryableStreamErrorTypes.has(error.type),
        requestId: error.requestID ?? undefined,
        cause: error,
        details,
      });
    }
    const type = error.type == null ? '' : ` (${error.type})`;
    return new ProviderError(`${provider} API error ${String(status)}${type}: ${apiMessage}`, {
      provider,
      status,
      requestId: error.requestID ?? undefined,
      cause: error,
      details,
    });
  }
  if (error instanceof LlmprocError) return error;
  return transportFailure(error, provider);
}

/**
 * The SDK refuses a non-streaming call whose `max_tokens` could take longer than ten minutes (above
 * about 21,333 tokens) before sending anything; the adapter then streams instead.
 */
export function isStreamingRequiredError(error: unknown, sdk: SdkErrorClasses): boolean {
  return (
    error instanceof sdk.AnthropicError &&
    !(error instanceof sdk.APIError) &&
    error.message.startsWith('Streaming is required')
  );
}
