/**
 * Failures of the `openai` SDK as llmproc errors (the SDK's error classes come from the loaded SDK, so
 * this module imports none of it at run time).
 */
import { LlmprocError, ProviderError } from '../../errors.js';
import { transportFailure } from '../faults.js';
import type { OpenAiSdk } from './client.js';
import { isRecord } from '../../internal/is-record.js';

/** Who failed, in error messages and as `ProviderError.provider`. */
export interface ErrorSource {
  /** `ProviderError.provider`: the `[model] provider` value. */
  provider: string;
  /** The start of each message: `openai`, or the server (`openai-compatible server api.groq.com`). */
  label: string;
}

const openaiSource: ErrorSource = { provider: 'openai', label: 'openai' };

/**
 * Any failure of an SDK call as an llmproc error:
 * - an aborted call (the signal fired) -> LlmprocError ABORTED;
 * - an HTTP error -> ProviderError "openai API error <status> (<code>): <the API's message>", with
 *   `status` and `details` { type, code, param, requestId }; the parameter the server rejected, when
 *   it names one, ends the message (" [parameter: response_format]");
 * - an error event inside a stream (HTTP 200, e.g. insufficient_quota) -> the same without a status;
 * - a connection failure or timeout -> ProviderError "openai API connection error: ...", no status;
 * - llmproc errors from the mappers pass through unchanged.
 */
export function toLlmprocError(
  sdk: OpenAiSdk,
  error: unknown,
  signal?: AbortSignal,
  source: ErrorSource = openaiSource,
): LlmprocError {
  const { provider, label } = source;
  if (error instanceof LlmprocError) return error;
  if (signal?.aborted === true || error instanceof sdk.APIUserAbortError) {
    return new LlmprocError('ABORTED', `${label} API call aborted`, { cause: error });
  }
  if (error instanceof sdk.APIConnectionError) {
    return new ProviderError(`${label} API connection error: ${error.message}`, {
      provider,
      retryable: true,
      cause: error,
      details: { fault: 'connection' },
    });
  }
  if (error instanceof sdk.APIError) {
    const body: unknown = error.error;
    const apiMessage =
      isRecord(body) && typeof body['message'] === 'string' ? body['message'] : error.message;
    const code = typeof error.code === 'string' && error.code !== '' ? ` (${error.code})` : '';
    const status = typeof error.status === 'number' ? ` ${String(error.status)}` : '';
    const param =
      typeof error.param === 'string' && error.param !== '' ? ` [parameter: ${error.param}]` : '';
    return new ProviderError(`${label} API error${status}${code}: ${apiMessage}${param}`, {
      provider,
      ...(typeof error.status === 'number' ? { status: error.status } : {}),
      // A used-up quota (429 insufficient_quota) does not come back by waiting; see withQuotaErrorsNotRetried.
      ...(error.code === 'insufficient_quota' ? { retryable: false } : {}),
      requestId: error.requestID ?? undefined,
      cause: error,
      details: {
        type: error.type ?? null,
        code: error.code ?? null,
        param: error.param ?? null,
        requestId: error.requestID ?? null,
      },
    });
  }
  return transportFailure(error, provider);
}
