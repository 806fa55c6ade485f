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

function nonNegativeNumber(raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value)))
    return fallback;
  return value;
}

/** The retry settings of every provider, from one set of variables (a bad value gives the default). */
export interface RetrySettings {
  /** `LLMPROC_RETRY_MAX_ATTEMPTS`, attempts per call counting the first; default 6. */
  attempts: number;
  /** `LLMPROC_RETRY_INITIAL_WAIT`, seconds before the second attempt, doubled after; default 1. */
  initialWaitSeconds: number;
  /** `LLMPROC_RETRY_MAX_WAIT`, the longest wait in seconds; default 90. */
  maxWaitSeconds: number;
}

export function retrySettingsFrom(env: ProviderSettings['env']): RetrySettings {
  const attempts = Math.max(
    1,
    nonNegativeNumber(retryMaxAttemptsSetting(env), DEFAULT_RETRY_MAX_ATTEMPTS, true),
  );
  const initialWaitSeconds = nonNegativeNumber(env['LLMPROC_RETRY_INITIAL_WAIT'], 1, false);
  const maxWaitSeconds = Math.max(
    initialWaitSeconds,
    nonNegativeNumber(env['LLMPROC_RETRY_MAX_WAIT'], 90, false),
  );
  return { attempts, initialWaitSeconds, maxWaitSeconds };
}
