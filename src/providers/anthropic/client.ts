/**
 * Entry point of the Anthropic adapter (`anthropic`), and the client settings the Claude platforms
 * share (../anthropic-vertex/, ../anthropic-bedrock/). The registry imports this module only when a
 * program uses it, and the SDK itself is imported inside {@link createProvider}, after the
 * credentials check.
 *
 * Environment read (from `settings.env`):
 * - `ANTHROPIC_API_KEY` (required), `ANTHROPIC_BASE_URL` (optional);
 * - `LLMPROC_RETRY_MAX_ATTEMPTS` (default 6, counting the first call): the SDK retries 408, 409,
 *   429 and 5xx (Anthropic's 529 "overloaded" included) with backoff, honouring `retry-after` and
 *   `x-should-retry`; 400, 401, 403 and 404 fail at once.
 */
import type * as Sdk from '@anthropic-ai/sdk';
import { LlmprocError, errorMessage } from '../../errors.js';
import { getLogger } from '../../internal/logger.js';
import {
  DEFAULT_RETRY_MAX_ATTEMPTS,
  RETRY_MAX_ATTEMPTS_VARIABLE,
  retryMaxAttemptsSetting,
} from '../retry-settings.js';
import type { ProviderSettings } from '../types.js';
import { AnthropicProvider, type AnthropicClient } from './provider.js';

export { AnthropicProvider, splitPayload, type AnthropicClient } from './provider.js';
export {
  CACHED_MESSAGE_COUNT,
  DEFAULT_MAX_TOKENS,
  EXTRA_HEADERS_KEY,
  markMessagesForCaching,
  toAnthropicBlock,
  toAnthropicCountTokensRequest,
  toAnthropicMessage,
  toAnthropicMessages,
  toAnthropicRequest,
  toAnthropicTools,
  toExtraHeaders,
  type AnthropicCountTokensRequest,
  type AnthropicMessageParam,
  type AnthropicRequest,
} from './request.js';
export {
  contextWindowFor,
  fromAnthropicMessage,
  fromAnthropicTokenCount,
  fromAnthropicUsage,
} from './response.js';
export { isStreamingRequiredError, toProviderError, type SdkErrorClasses } from './errors.js';

export { DEFAULT_RETRY_MAX_ATTEMPTS } from '../retry-settings.js';

/** A variable of `env`, or undefined when it is unset or blank. */
export function envValue(env: ProviderSettings['env'], name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** `maxRetries` for the SDK: `LLMPROC_RETRY_MAX_ATTEMPTS` - 1, default 5; a bad value is reported. */
export function maxRetriesFrom(env: ProviderSettings['env']): number {
  const raw = retryMaxAttemptsSetting(env);
  if (raw === undefined) return DEFAULT_RETRY_MAX_ATTEMPTS - 1;
  const attempts = Number(raw);
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new LlmprocError(
      'INVALID_OPTION',
      `${RETRY_MAX_ATTEMPTS_VARIABLE} must be a whole number of attempts, at least 1; got "${raw}"`,
    );
  }
  return attempts - 1;
}

function formatLogArgument(value: unknown): string {
  return typeof value === 'string' ? value : errorMessage(value);
}

function formatLogLine(message: string, rest: unknown[]): string {
  return [message, ...rest.map(formatLogArgument)].join(' ');
}

/** Routes the SDK's log lines (retries, deprecation notices) through llmproc's logger. */
export const sdkLogger = {
  error: (message: string, ...rest: unknown[]) => {
    getLogger().error(formatLogLine(message, rest));
  },
  warn: (message: string, ...rest: unknown[]) => {
    getLogger().warn(formatLogLine(message, rest));
  },
  info: (message: string, ...rest: unknown[]) => {
    getLogger().info(formatLogLine(message, rest));
  },
  debug: (message: string, ...rest: unknown[]) => {
    getLogger().debug(formatLogLine(message, rest));
  },
};

/** `@anthropic-ai/sdk`, or PROVIDER_UNAVAILABLE naming the provider that needs it. */
export async function loadSdk(provider: string): Promise<typeof Sdk> {
  try {
    return await import('@anthropic-ai/sdk');
  } catch (cause) {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `provider "${provider}" needs the npm package @anthropic-ai/sdk, which could not be loaded: ${errorMessage(cause)}`,
      { cause },
    );
  }
}

/**
 * Whether `value` has properties to read. Functions count: a module namespace's export, or a
 * client's `messages`, may be a class or a callable object rather than a plain object.
 */
export function isObjectOrFunction(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

/** Whether a platform SDK's client has what the adapter calls. */
export function isAnthropicClient(value: unknown): value is AnthropicClient {
  if (!isObjectOrFunction(value) || !isObjectOrFunction(value['messages'])) return false;
  const messages = value['messages'];
  return (
    typeof messages['create'] === 'function' &&
    typeof messages['stream'] === 'function' &&
    (messages['countTokens'] === undefined || typeof messages['countTokens'] === 'function')
  );
}

/**
 * Creates the `anthropic` adapter. Fails before any request with `MISSING_CREDENTIALS` naming
 * `ANTHROPIC_API_KEY` when it is missing or empty.
 */
export async function createProvider(settings: ProviderSettings): Promise<AnthropicProvider> {
  return createAnthropicProvider(settings);
}

/** {@link createProvider}, kept as the name tests use. */
export async function createAnthropicProvider(
  settings: ProviderSettings,
): Promise<AnthropicProvider> {
  const { env } = settings;
  const apiKey = envValue(env, 'ANTHROPIC_API_KEY');
  if (apiKey === undefined) {
    throw new LlmprocError(
      'MISSING_CREDENTIALS',
      'Anthropic API key must be provided via the ANTHROPIC_API_KEY environment variable (provider "anthropic")',
      { details: { variable: 'ANTHROPIC_API_KEY', provider: 'anthropic' } },
    );
  }
  const maxRetries = maxRetriesFrom(env);
  const sdk = await loadSdk('anthropic');
  const client = new sdk.Anthropic({
    apiKey,
    // null, not undefined: the SDK would otherwise read process.env rather than settings.env.
    baseURL: settings.baseUrl ?? envValue(env, 'ANTHROPIC_BASE_URL') ?? null,
    maxRetries,
    logger: sdkLogger,
  });
  return new AnthropicProvider('anthropic', client, sdk);
}
