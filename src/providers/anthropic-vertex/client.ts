/**
 * Claude on Vertex AI: the Anthropic adapter (../anthropic/provider.ts) over
 * `@anthropic-ai/vertex-sdk`'s `AnthropicVertex` client, which sends the Messages body to
 * `.../projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict`
 * (`:streamRawPredict` when streaming) with Google OAuth. The SDK is an optional peer dependency,
 * imported only here and only when a program uses this provider.
 */
import { LlmprocError } from '../../errors.js';
import { envValue, loadSdk, maxRetriesFrom, sdkLogger } from '../anthropic/client.js';
import { platformClient } from '../anthropic/platform-client.js';
import { AnthropicProvider } from '../anthropic/provider.js';
import type { SdkErrorClasses } from '../anthropic/errors.js';
import type { ProviderSettings } from '../types.js';

/** The npm package that `anthropic_vertex` needs (an optional peer dependency of llmproc). */
export const VERTEX_SDK_PACKAGE = '@anthropic-ai/vertex-sdk';

const DEFAULT_VERTEX_REGION = 'us-central1';

/** Hooks for tests: how the SDK is imported, and a Google auth client instead of ADC. */
export interface VertexDeps {
  importModule?: (specifier: string) => Promise<unknown>;
  /** Passed to AnthropicVertex as `authClient` (anything with `getRequestHeaders()`). */
  authClient?: unknown;
}

/**
 * Creates the `anthropic_vertex` adapter. Fails before any request, with an `LlmprocError`:
 * `MISSING_CREDENTIALS` naming `ANTHROPIC_VERTEX_PROJECT_ID` when `[model].project_id` is not set
 * either; `PROVIDER_UNAVAILABLE` naming the package when `@anthropic-ai/vertex-sdk` is not installed.
 * Credentials are Google Application Default Credentials, resolved by the SDK on the first request.
 */
export async function createVertexProvider(
  settings: ProviderSettings,
  deps: VertexDeps = {},
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
  const setup =
    `It uses the project from [model].project_id or ANTHROPIC_VERTEX_PROJECT_ID (here "${projectId}"), ` +
    `the region from [model].region or CLOUD_ML_REGION (here "${region}"), ` +
    'and Google Application Default Credentials.';
  const options: Record<string, unknown> = { projectId, region, maxRetries, logger: sdkLogger };
  // Given (or null) so the SDK never reads ANTHROPIC_VERTEX_BASE_URL from process.env itself.
  options['baseURL'] = settings.baseUrl ?? envValue(env, 'ANTHROPIC_VERTEX_BASE_URL') ?? null;
  if (deps.authClient !== undefined) options['authClient'] = deps.authClient;
  const client = await platformClient(
    {
      provider: 'anthropic_vertex',
      packageName: VERTEX_SDK_PACKAGE,
      className: 'AnthropicVertex',
      importModule: deps.importModule,
      setupHint: setup,
      details: { projectId, region },
    },
    options,
  );
  // The Vertex SDK builds on @anthropic-ai/sdk and throws its error classes.
  const sdk = await loadSdk('anthropic_vertex');
  return new AnthropicProvider('anthropic_vertex', client, sdk satisfies SdkErrorClasses);
}

/** The registry's entry point (index.ts). */
export async function createProvider(settings: ProviderSettings): Promise<AnthropicProvider> {
  return createVertexProvider(settings);
}
