/**
 * Building the `openai` SDK client from ProviderSettings, and turning SDK failures into llmproc errors.
 * The SDK module is passed in (it is imported only by `createProvider`), so this file loads nothing.
 */
import type { OpenAI } from 'openai';
import { LlmprocError } from '../../errors.js';
import { DEFAULT_RETRY_MAX_ATTEMPTS, retryMaxAttemptsSetting } from '../retry-settings.js';
import type { ProviderSettings } from '../types.js';
import { isRecord } from '../../internal/is-record.js';

/** The `openai` package's module namespace, as `await import('openai')` returns it. */
export type OpenAiSdk = typeof import('openai');

/** The environment variable the API key is read from (from `settings.env`, never `process.env`). */
export const apiKeyVariable = 'OPENAI_API_KEY';

const defaultBaseUrl = 'https://api.openai.com/v1';

/**
 * The SDK's `baseURL`: `settings.baseUrl` (`[model].base_url`), else `OPENAI_BASE_URL` from the
 * environment, else the public API. OpenAI base URLs include the version path (`.../v1`); a bare origin
 * such as `http://127.0.0.1:8080` (a local test server or proxy) gets `/v1` added, so requests go to
 * `/v1/chat/completions` as the API expects. A URL with any path is used as given.
 */
export function resolveBaseUrl(baseUrl: string | undefined, exact = false): string {
  if (baseUrl === undefined || baseUrl === '') return defaultBaseUrl;
  if (exact) return baseUrl;
  try {
    const url = new URL(baseUrl);
    if (url.pathname === '/' || url.pathname === '') return `${url.origin}/v1`;
  } catch {
    // not a URL we can read; the SDK reports it on the first request
  }
  return baseUrl;
}

/**
 * The host of the OpenAI-compatible server a program names with `[model].api_key_env` and
 * `base_url` (`api.groq.com`), or undefined when it talks to OpenAI itself (`api_key_env` alone only
 * names another variable for OpenAI's key).
 */
export function compatibleServer(
  settings: Pick<ProviderSettings, 'apiKeyEnv' | 'baseUrl'>,
): string | undefined {
  if (settings.apiKeyEnv === undefined || settings.baseUrl === undefined) return undefined;
  try {
    return new URL(settings.baseUrl).host;
  } catch {
    return settings.baseUrl;
  }
}

/**
 * The API key in `variable`, or a MISSING_CREDENTIALS error naming the variable (and saying that
 * `[model].api_key_env` chose it, when it did).
 */
export function requireApiKey(
  env: ProviderSettings['env'],
  variable: string,
  source: { provider: string; what: string; chosenBy?: string },
): string {
  const apiKey = env[variable];
  if (apiKey !== undefined && apiKey.trim() !== '') return apiKey;
  const chosen = source.chosenBy === undefined ? '' : ` (named by "${source.chosenBy}")`;
  throw new LlmprocError(
    'MISSING_CREDENTIALS',
    `${source.what} must be provided via ${variable} environment variable${chosen}`,
    { details: { variable, provider: source.provider } },
  );
}

/**
 * SDK retries: `LLMPROC_RETRY_MAX_ATTEMPTS` (default 6) counts every attempt, the SDK's `maxRetries` only
 * the repeats. The SDK retries 408, 409, 429, 5xx and connection errors, honouring `retry-after(-ms)`.
 */
export function maxRetriesFrom(env: Readonly<Record<string, string | undefined>>): number {
  const raw = retryMaxAttemptsSetting(env);
  const attempts = raw === undefined ? Number.NaN : Number.parseInt(raw, 10);
  return (Number.isInteger(attempts) && attempts >= 1 ? attempts : DEFAULT_RETRY_MAX_ATTEMPTS) - 1;
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A fetch that marks a 429 `insufficient_quota` answer with `x-should-retry: false`, which the SDK obeys.
 * A 429 usually means "slow down" and is retried, but an exhausted quota or billing limit never
 * succeeds on retry; without this the run would wait through every backoff before failing. OpenAI does
 * not send that header itself, so the body (a few hundred bytes) is read to tell the two apart.
 */
export function withQuotaErrorsNotRetried(inner: Fetch): Fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 429) return response;
    const text = await response
      .clone()
      .text()
      .catch(() => '');
    if (!isInsufficientQuota(text)) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

function isInsufficientQuota(body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  const error = isRecord(parsed) ? parsed['error'] : undefined;
  return (
    isRecord(error) &&
    (error['code'] === 'insufficient_quota' || error['type'] === 'insufficient_quota')
  );
}

/**
 * The client options every `openai` client (OpenAI's, Azure's) gets: each option the SDK would
 * otherwise read from `process.env` (organization, project, admin key, webhook secret) given
 * explicitly from `env`, the retries, and the quota-aware fetch.
 */
export function clientOptions(env: ProviderSettings['env']) {
  return {
    adminAPIKey: null,
    webhookSecret: null,
    organization: env['OPENAI_ORG_ID'] ?? null,
    project: env['OPENAI_PROJECT_ID'] ?? null,
    maxRetries: maxRetriesFrom(env),
    fetch: withQuotaErrorsNotRetried((input, init) => fetch(input, init)),
  } as const;
}

/** The SDK client for these settings; the base URL too is given, never read from `process.env`. */
export function createClient(
  sdk: OpenAiSdk,
  settings: ProviderSettings,
  apiKey: string,
  options: { exactBaseUrl?: boolean } = {},
): OpenAI {
  const env = settings.env;
  return new sdk.OpenAI({
    ...clientOptions(env),
    apiKey,
    baseURL: resolveBaseUrl(settings.baseUrl ?? env['OPENAI_BASE_URL'], options.exactBaseUrl),
  });
}
