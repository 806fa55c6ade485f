/**
 * How the `GoogleGenAI` client is constructed for `gemini` (Gemini Developer API, API key) and
 * `gemini_vertex` (Vertex AI, Google Cloud project + Application Default Credentials). Pure: reads
 * only `settings.env`, so a missing credential fails at `createProvider` (called at `start()`),
 * before any request.
 */
import type { GoogleGenAIOptions, HttpOptions, HttpRetryOptions } from '@google/genai';
import { LlmprocError } from '../../errors.js';
import { isRetryableStatus } from '../../errors.js';
import { retrySettingsFrom } from '../retry-settings.js';
import { fetchHonouringRetryAfter } from '../retry-after.js';
import type { ProviderSettings } from '../types.js';

/**
 * Statuses the SDK retries: every provider's rule (408, 409, 429 and 5xx, 529 included; see
 * `isRetryableStatus`), listed because the SDK takes a list. 400/401/403/404 fail at once.
 */
export const retryableStatuses: readonly number[] = Array.from(
  { length: 600 },
  (_, status) => status,
).filter((status) => status >= 400 && isRetryableStatus(status));

/**
 * The SDK's retry policy (`httpOptions.retryOptions`, run by p-retry inside the SDK), read from the
 * same variables as the original's Anthropic retry loop:
 * - `LLMPROC_RETRY_MAX_ATTEMPTS` (default 6) -> `attempts`, counting the first call;
 * - `LLMPROC_RETRY_INITIAL_WAIT` seconds, may be fractional (default 1) -> `initialDelay`;
 * - `LLMPROC_RETRY_MAX_WAIT` seconds (default 90) -> `maxDelay`.
 * Waits double from the initial one with the SDK's jitter. Only {@link retryableStatuses} are
 * retried. The SDK does not read `retry-after`; the client's fetch does (see retry-after.ts).
 */
export function retryOptionsFromEnv(env: ProviderSettings['env']): HttpRetryOptions {
  const { attempts, initialWaitSeconds, maxWaitSeconds } = retrySettingsFrom(env);
  return {
    attempts,
    initialDelay: initialWaitSeconds,
    maxDelay: maxWaitSeconds,
    httpStatusCodes: [...retryableStatuses],
  };
}

/**
 * The Gemini Developer API version. `@google/genai` 3.x defaults to "v1"; we pin "v1beta", which
 * most clients use (the Python SDK, pydantic-ai, the recorded fixtures) and where function calling
 * with raw JSON Schema, thinking and thought signatures land first. Vertex AI keeps the SDK's default.
 */
export const geminiApiVersion = 'v1beta';

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/**
 * Options for `new GoogleGenAI(...)`.
 * - `gemini`: the API key from `GEMINI_API_KEY`, else `GOOGLE_API_KEY`; neither -> LlmprocError
 *   MISSING_CREDENTIALS naming both.
 * - `gemini_vertex`: `vertexai: true`, project from `[model].project_id`, else `GOOGLE_CLOUD_PROJECT`
 *   (neither -> MISSING_CREDENTIALS naming GOOGLE_CLOUD_PROJECT); location from `[model].region`,
 *   else `CLOUD_ML_REGION`, else "us-central1". Credentials are Google's Application Default
 *   Credentials, which google-auth-library looks up at the first call (see errors.ts).
 * - `gemini` uses API version {@link geminiApiVersion}.
 * `settings.baseUrl` becomes `httpOptions.baseUrl` (tests point it at a local replay server).
 */
export function resolveClientOptions(settings: ProviderSettings): GoogleGenAIOptions {
  const httpOptions: HttpOptions = {
    retryOptions: retryOptionsFromEnv(settings.env),
    // The SDK's retries do not read retry-after; this fetch waits what the server asks first.
    fetch: fetchHonouringRetryAfter(retrySettingsFrom(settings.env).maxWaitSeconds * 1000),
  };
  if (settings.baseUrl !== undefined) httpOptions.baseUrl = settings.baseUrl;
  if (settings.provider === 'gemini_vertex') {
    const project = nonEmpty(settings.projectId) ?? nonEmpty(settings.env['GOOGLE_CLOUD_PROJECT']);
    if (project === undefined) {
      throw new LlmprocError(
        'MISSING_CREDENTIALS',
        'gemini_vertex: Google Cloud project must be provided via GOOGLE_CLOUD_PROJECT environment variable or [model].project_id',
      );
    }
    const location =
      nonEmpty(settings.region) ?? nonEmpty(settings.env['CLOUD_ML_REGION']) ?? 'us-central1';
    return { vertexai: true, project, location, httpOptions };
  }
  const apiKey =
    nonEmpty(settings.env['GEMINI_API_KEY']) ?? nonEmpty(settings.env['GOOGLE_API_KEY']);
  if (apiKey === undefined) {
    throw new LlmprocError(
      'MISSING_CREDENTIALS',
      `${settings.provider}: API key must be provided via GEMINI_API_KEY or GOOGLE_API_KEY environment variable`,
    );
  }
  return { vertexai: false, apiKey, apiVersion: geminiApiVersion, httpOptions };
}
