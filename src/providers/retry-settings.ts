/**
 * The retry setting every adapter reads: `LLMPROC_RETRY_MAX_ATTEMPTS`, the attempts per model call
 * counting the first. Each adapter turns it into its SDK's option and keeps its own rule for a value
 * that is not a whole number of at least 1 (Anthropic rejects it, OpenAI and Gemini use the default).
 */
import type { ProviderSettings } from './types.js';

/** The environment variable holding the attempts per call. */
export const RETRY_MAX_ATTEMPTS_VARIABLE = 'LLMPROC_RETRY_MAX_ATTEMPTS';

/** Attempts per call, counting the first, when `LLMPROC_RETRY_MAX_ATTEMPTS` is unset (as 0.9.2). */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 6;

/** The text of `LLMPROC_RETRY_MAX_ATTEMPTS` in `env`, or undefined when it is unset or blank. */
export function retryMaxAttemptsSetting(env: ProviderSettings['env']): string | undefined {
  const value = env[RETRY_MAX_ATTEMPTS_VARIABLE];
  return value === undefined || value.trim() === '' ? undefined : value;
}
