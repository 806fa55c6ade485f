/**
 * `@google/genai` failures as llmproc errors. The SDK throws an `ApiError` whose `message` is the
 * JSON error body (`{"error":{"code","message","status","details"}}`), prefixed with
 * "got status: X. " for an error inside a stream; we surface the API's own `error.message`.
 */
import { LlmprocError, ProviderError } from '../../errors.js';
import { describeFailure as describe, transportFailure } from '../faults.js';
import { isRecord } from '../../internal/is-record.js';

interface ApiErrorBody {
  message: string;
  status?: string;
}

/** The `error.message` (and `error.status`) of a Google error body held in an ApiError message. */
export function parseApiErrorBody(text: string): ApiErrorBody {
  const start = text.indexOf('{');
  if (start >= 0) {
    try {
      const body: unknown = JSON.parse(text.slice(start));
      const error = isRecord(body) ? body['error'] : undefined;
      if (isRecord(error) && typeof error['message'] === 'string') {
        const parsed: ApiErrorBody = { message: error['message'] };
        if (typeof error['status'] === 'string') parsed.status = error['status'];
        return parsed;
      }
    } catch {
      // not JSON: use the text as it is
    }
  }
  return { message: text };
}

function isApiError(error: unknown): error is Error & { status: number } {
  return (
    error instanceof Error &&
    error.name === 'ApiError' &&
    typeof (error as Error & { status?: unknown }).status === 'number'
  );
}

/** google-auth-library's message when Vertex AI mode finds no Application Default Credentials. */
const missingAdcPattern = /could not load the default credentials|unable to detect a project id/i;

/**
 * Any failure of an SDK call as an llmproc error:
 * - the call was aborted through `signal` -> LlmprocError ABORTED;
 * - an LlmprocError passes through;
 * - an ApiError -> ProviderError "<provider> API error <status>: <API's message>" with `status`;
 * - Vertex AI without Google credentials -> ProviderError code MISSING_CREDENTIALS saying how to
 *   provide them;
 * - anything else (connection refused, DNS, an SDK-side validation error) -> ProviderError
 *   "<provider> API request failed: <message>" with no status.
 */
export function toLlmprocError(
  error: unknown,
  provider: string,
  signal?: AbortSignal,
): LlmprocError {
  if (signal?.aborted === true) {
    return new LlmprocError('ABORTED', `${provider} API call aborted`, { cause: error });
  }
  if (error instanceof LlmprocError) return error;
  if (isApiError(error)) {
    const body = parseApiErrorBody(error.message);
    const options: ConstructorParameters<typeof ProviderError>[1] = {
      provider,
      status: error.status,
      cause: error,
    };
    if (body.status !== undefined) options.details = { apiStatus: body.status };
    return new ProviderError(
      `${provider} API error ${String(error.status)}: ${body.message}`,
      options,
    );
  }
  const text = describe(error);
  if (missingAdcPattern.test(text)) {
    return new ProviderError(
      `${provider}: no Google Cloud credentials for Vertex AI (Application Default Credentials not found). ` +
        'Run "gcloud auth application-default login" or set GOOGLE_APPLICATION_CREDENTIALS to a ' +
        `service account key file. (${text})`,
      { provider, cause: error, code: 'MISSING_CREDENTIALS' },
    );
  }
  return transportFailure(error, provider);
}
