import type * as Sdk from '@anthropic-ai/sdk';
import { LlmprocError, ProviderError, errorMessage } from '../../errors.js';

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
 * - no connection or a timeout: `ProviderError` "<provider> API connection error: ..." without status;
 * - any other SDK error (a client-side check): `ProviderError` with the SDK's message.
 *
 * The SDK error is kept as `cause`. Anything not from the SDK is returned unchanged.
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
      cause: error,
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
        cause: error,
        details,
      });
    }
    const type = error.type == null ? '' : ` (${error.type})`;
    return new ProviderError(`${provider} API error ${String(status)}${type}: ${apiMessage}`, {
      provider,
      status,
      cause: error,
      details,
    });
  }
  if (error instanceof sdk.AnthropicError) {
    return new ProviderError(`${provider} client error: ${errorMessage(error)}`, {
      provider,
      cause: error,
    });
  }
  return error;
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
