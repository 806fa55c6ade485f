/**
 * Entry point of the Anthropic adapter (`anthropic` and `anthropic_vertex`). The registry imports this
 * module only when a program uses one of them, and the SDK itself is imported inside
 * {@link createProvider}, after the credentials check.
 *
 * Environment read (from `settings.env`):
 * - `ANTHROPIC_API_KEY` (required for `anthropic`), `ANTHROPIC_BASE_URL` (optional);
 * - `ANTHROPIC_VERTEX_PROJECT_ID` (for `anthropic_vertex`, unless `[model].project_id`),
 *   `CLOUD_ML_REGION` (unless `[model].region`; default `us-central1`);
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
import type { SdkErrorClasses } from './errors.js';
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

/** The npm package that `anthropic_vertex` needs and llmproc does not install. */
export const VERTEX_SDK_PACKAGE = '@anthropic-ai/vertex-sdk';

const DEFAULT_VERTEX_REGION = 'us-central1';

/** Hooks for tests: how optional packages are imported. */
export interface AnthropicProviderDeps {
  importModule?: (specifier: string) => Promise<unknown>;
}

function envValue(env: ProviderSettings['env'], name: string): string | undefined {
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
      'INVALID_ARGUMENT',
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
const sdkLogger = {
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

async function loadSdk(provider: string): Promise<typeof Sdk> {
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}

function isAnthropicClient(value: unknown): value is AnthropicClient {
  if (!isRecord(value) || !isRecord(value['messages'])) return false;
  const messages = value['messages'];
  return (
    typeof messages['create'] === 'function' &&
    typeof messages['stream'] === 'function' &&
    typeof messages['countTokens'] === 'function'
  );
}

/**
 * Creates the adapter for `settings.provider` (`anthropic` or `anthropic_vertex`). Fails before any
 * request, with an `LlmprocError`:
 * - `MISSING_CREDENTIALS` naming `ANTHROPIC_API_KEY` (anthropic) or `ANTHROPIC_VERTEX_PROJECT_ID`
 *   (anthropic_vertex, when `[model].project_id` is not set either);
 * - `PROVIDER_UNAVAILABLE` when `anthropic_vertex` is used without the `@anthropic-ai/vertex-sdk`
 *   package installed (llmproc does not depend on it).
 */
export async function createProvider(settings: ProviderSettings): Promise<AnthropicProvider> {
  return createAnthropicProvider(settings);
}

/** {@link createProvider} with injectable module loading, for tests. */
export async function createAnthropicProvider(
  settings: ProviderSettings,
  deps: AnthropicProviderDeps = {},
): Promise<AnthropicProvider> {
  const { env } = settings;
  if (settings.provider === 'anthropic') {
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
  if (settings.provider === 'anthropic_vertex') {
    return createVertexProvider(settings, deps);
  }
  throw new LlmprocError(
    'INVALID_ARGUMENT',
    `the Anthropic adapter serves providers "anthropic" and "anthropic_vertex"; got "${settings.provider}"`,
  );
}

async function createVertexProvider(
  settings: ProviderSettings,
  deps: AnthropicProviderDeps,
): Promise<AnthropicProvider> {
  const { env } = settings;
  const projectId = settings.projectId ?? envValue(env, 'ANTHROPIC_VERTEX_PROJECT_ID');
  if (projectId === undefined) {
    throw new LlmprocError(
      'MISSING_CREDENTIALS',
      'provider "anthropic_vertex" needs a Google Cloud project id: set the ANTHROPIC_VERTEX_PROJECT_ID environment variable or [model].project_id',
      { details: { variable: 'ANTHROPIC_VERTEX_PROJECT_ID', provider: 'anthropic_vertex' } },
    );
  }
  const region = settings.region ?? envValue(env, 'CLOUD_ML_REGION') ?? DEFAULT_VERTEX_REGION;
  const maxRetries = maxRetriesFrom(env);
  const importModule = deps.importModule ?? ((specifier: string) => import(specifier));
  const setup =
    `It uses the project from [model].project_id or ANTHROPIC_VERTEX_PROJECT_ID (here "${projectId}"), ` +
    `the region from [model].region or CLOUD_ML_REGION (here "${region}"), ` +
    'and Google Application Default Credentials.';
  let vertexModule: unknown;
  try {
    vertexModule = await importModule(VERTEX_SDK_PACKAGE);
  } catch (cause) {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `provider "anthropic_vertex" needs the npm package ${VERTEX_SDK_PACKAGE}, which is not installed ` +
        `or could not be loaded (${errorMessage(cause)}): run \`npm install ${VERTEX_SDK_PACKAGE}\`. ${setup}`,
      { cause, details: { package: VERTEX_SDK_PACKAGE, projectId, region } },
    );
  }
  const exports = isRecord(vertexModule) ? vertexModule : {};
  const defaultExport = exports['default'];
  const constructor =
    exports['AnthropicVertex'] ??
    (isRecord(defaultExport) ? defaultExport['AnthropicVertex'] : undefined);
  if (typeof constructor !== 'function') {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `the installed ${VERTEX_SDK_PACKAGE} does not export AnthropicVertex; install a 1.x version. ${setup}`,
      { details: { package: VERTEX_SDK_PACKAGE } },
    );
  }
  const options: Record<string, unknown> = { projectId, region, maxRetries, logger: sdkLogger };
  if (settings.baseUrl !== undefined) options['baseURL'] = settings.baseUrl;
  const client: unknown = Reflect.construct(constructor, [options]);
  if (!isAnthropicClient(client)) {
    throw new LlmprocError(
      'PROVIDER_UNAVAILABLE',
      `the installed ${VERTEX_SDK_PACKAGE} client has no messages.create/stream/countTokens; install a 1.x version`,
      { details: { package: VERTEX_SDK_PACKAGE } },
    );
  }
  // The Vertex SDK builds on @anthropic-ai/sdk 1.x and throws its error classes.
  const sdk = await loadSdk('anthropic_vertex');
  return new AnthropicProvider('anthropic_vertex', client, sdk satisfies SdkErrorClasses);
}
