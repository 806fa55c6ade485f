/**
 * What every provider gets from the registry, whatever its SDK: failures the SDK did not retry (see
 * faults.ts) are retried here under the same setting, `LLMPROC_RETRY_MAX_ATTEMPTS`, unless text was
 * already streamed (a second attempt would repeat it); anything an adapter let through raw becomes a
 * `ProviderError`; and the values of the provider's credential variables are cut from every error's
 * text, in case a server or proxy echoes them.
 */
import { LlmprocError } from '../errors.js';
import { abortReason, abortableDelay } from '../internal/abort.js';
import { redacted } from '../internal/redact.js';
import { isUnretriedFault, transportFailure } from './faults.js';
import type { GenerateOptions, GenerateResult, Provider } from './types.js';

export interface RetryPolicy {
  /** Attempts per call, counting the first. */
  attempts: number;
  /** Wait before the second attempt, doubled for each next one (with jitter), in ms. */
  initialWaitMs: number;
  maxWaitMs: number;
  /** Credential values to cut from error text. */
  secrets: readonly string[];
}

function backoffMs(attempt: number, policy: RetryPolicy): number {
  const base = Math.min(policy.maxWaitMs, policy.initialWaitMs * 2 ** (attempt - 1));
  return base * (0.75 + Math.random() * 0.25);
}

function cut(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(redacted);
  return result;
}

/** Cut credential values from an error's message and stack, and from its cause's. */
export function redactCredentials<E>(error: E, secrets: readonly string[]): E {
  if (secrets.length === 0) return error;
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    current.message = cut(current.message, secrets);
    if (current.stack !== undefined) current.stack = cut(current.stack, secrets);
    current = current.cause;
  }
  return error;
}

/** Any failure as the error a caller sees: llmproc errors as they are, the rest as ProviderError. */
function normalize(error: unknown, provider: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted === true && !(error instanceof LlmprocError)) return abortReason(signal);
  return error instanceof LlmprocError ? error : transportFailure(error, provider);
}

async function generate(
  inner: Provider,
  payload: object,
  options: GenerateOptions,
  policy: RetryPolicy,
): Promise<GenerateResult> {
  for (let attempt = 1; ; attempt++) {
    // An object, not a let: the flag is set inside the callback, after this function's checks.
    const progress = { streamed: false };
    const { onTextDelta } = options;
    const attemptOptions: GenerateOptions = onTextDelta
      ? {
          ...options,
          onTextDelta: (delta) => {
            progress.streamed = true;
            onTextDelta(delta);
          },
        }
      : options;
    try {
      return await inner.doGenerate(payload, attemptOptions);
    } catch (error) {
      const failure = redactCredentials(
        normalize(error, inner.name, options.signal),
        policy.secrets,
      );
      if (!isUnretriedFault(failure) || progress.streamed || attempt >= policy.attempts)
        throw failure;
      await abortableDelay(backoffMs(attempt, policy), options.signal);
    }
  }
}

/** `inner` with the shared retry, error and redaction rules above. */
export function withRetries(inner: Provider, policy: RetryPolicy): Provider {
  const wrapped: Provider = {
    get name() {
      return inner.name;
    },
    buildRequest: (request) => inner.buildRequest(request),
    doGenerate: (payload, options) => generate(inner, payload, options, policy),
    countTokens: async (request, options) => {
      try {
        return await inner.countTokens(request, options);
      } catch (error) {
        throw redactCredentials(normalize(error, inner.name, options.signal), policy.secrets);
      }
    },
  };
  const fork = inner.fork?.bind(inner);
  if (fork) wrapped.fork = () => withRetries(fork(), policy);
  const close = inner.close?.bind(inner);
  if (close) wrapped.close = close;
  const mediaSupport = inner.mediaSupport?.bind(inner);
  if (mediaSupport) wrapped.mediaSupport = mediaSupport;
  return wrapped;
}
