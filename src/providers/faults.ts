/**
 * Failures below the HTTP status: a connection refused or reset (before a response or in the middle
 * of its body), a body that is not JSON, a stream cut before its end. The SDKs either retry these
 * themselves (a connect failure before any response, for Anthropic and OpenAI) or let them through
 * raw (`TypeError: terminated`, `SyntaxError`); every adapter turns the raw ones into a
 * `ProviderError` here, and the registry's retry wrapper (retrying.ts) retries those.
 */
import { ProviderError, errorMessage } from '../errors.js';

const notRetriedBySdk = new WeakSet<ProviderError>();

/** The text of an error and of its cause ("terminated (other side closed)"). */
export function describeFailure(error: unknown): string {
  const text = errorMessage(error);
  if (error instanceof Error && error.cause !== undefined && error.cause !== null) {
    const cause = errorMessage(error.cause);
    if (cause !== '' && cause !== text) return `${text} (${cause})`;
  }
  return text;
}

/**
 * A failure that is not the provider's answer, as a retryable `ProviderError` with no status and
 * `details.fault` = `"invalid_body"` (a response that is not JSON) or `"connection"` (anything
 * else: a reset, a cut stream, a refused connection). The original is kept as `cause`.
 */
export function transportFailure(error: unknown, provider: string): ProviderError {
  const invalidBody = error instanceof SyntaxError;
  const failure = new ProviderError(
    invalidBody
      ? `${provider} API returned a response that is not valid JSON: ${describeFailure(error)}`
      : `${provider} API connection failed: ${describeFailure(error)}`,
    {
      provider,
      retryable: true,
      cause: error,
      details: { fault: invalidBody ? 'invalid_body' : 'connection' },
    },
  );
  notRetriedBySdk.add(failure);
  return failure;
}

/** Whether llmproc should retry this failure itself: the SDK's own retries never saw it. */
export function isUnretriedFault(error: unknown): error is ProviderError {
  return error instanceof ProviderError && notRetriedBySdk.has(error);
}
