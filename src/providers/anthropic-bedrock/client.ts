/**
 * Claude on Amazon Bedrock: the Anthropic adapter (../anthropic/provider.ts) over
 * `@anthropic-ai/bedrock-sdk`'s `AnthropicBedrock` client, which sends the Messages body to
 * InvokeModel (`POST /model/{modelId}/invoke`, `.../invoke-with-response-stream` when streaming),
 * signed with AWS SigV4. The SDK is an optional peer dependency, imported only here and only when a
 * program uses this provider.
 */
import { LlmprocError } from '../../errors.js';
import { envValue, loadSdk, maxRetriesFrom, sdkLogger } from '../anthropic/client.js';
import { platformClient } from '../anthropic/platform-client.js';
import { AnthropicProvider } from '../anthropic/provider.js';
import type { ProviderSettings } from '../types.js';

/** The npm package that `anthropic_bedrock` needs (an optional peer dependency of llmproc). */
export const BEDROCK_SDK_PACKAGE = '@anthropic-ai/bedrock-sdk';

/** Hooks for tests: how the SDK is imported. */
export interface BedrockDeps {
  importModule?: (specifier: string) => Promise<unknown>;
}

/**
 * The AWS credentials of `settings.env`, or null to let the SDK resolve them from the standard AWS
 * chain (shared config and credentials files, SSO, container and instance roles). A Bedrock API key
 * (`AWS_BEARER_TOKEN_BEDROCK`) replaces SigV4 signing.
 */
function credentialOptions(env: ProviderSettings['env']): Record<string, string | null> {
  const accessKey = envValue(env, 'AWS_ACCESS_KEY_ID');
  const secretKey = envValue(env, 'AWS_SECRET_ACCESS_KEY');
  const keys =
    accessKey !== undefined && secretKey !== undefined
      ? {
          awsAccessKey: accessKey,
          awsSecretKey: secretKey,
          awsSessionToken: envValue(env, 'AWS_SESSION_TOKEN') ?? null,
        }
      : {};
  // null, not undefined: the SDK would otherwise read process.env rather than settings.env.
  return { ...keys, apiKey: envValue(env, 'AWS_BEARER_TOKEN_BEDROCK') ?? null };
}

/**
 * Creates the `anthropic_bedrock` adapter. The region is `[model].region`, else `AWS_REGION`, else
 * `AWS_DEFAULT_REGION`; none fails with `MISSING_CREDENTIALS` naming them. A missing package fails
 * with `PROVIDER_UNAVAILABLE` naming it. Credentials that cannot be resolved fail the first request.
 */
export async function createBedrockProvider(
  settings: ProviderSettings,
  deps: BedrockDeps = {},
): Promise<AnthropicProvider> {
  const { env } = settings;
  const region =
    settings.region ?? envValue(env, 'AWS_REGION') ?? envValue(env, 'AWS_DEFAULT_REGION');
  if (region === undefined) {
    throw new LlmprocError(
      'MISSING_CREDENTIALS',
      'provider "anthropic_bedrock" needs an AWS region: set [model].region or the AWS_REGION environment variable',
      { details: { variable: 'AWS_REGION', provider: 'anthropic_bedrock' } },
    );
  }
  const maxRetries = maxRetriesFrom(env);
  const baseUrl = settings.baseUrl ?? envValue(env, 'ANTHROPIC_BEDROCK_BASE_URL');
  const options: Record<string, unknown> = {
    awsRegion: region,
    ...credentialOptions(env),
    ...(baseUrl === undefined ? {} : { baseURL: baseUrl }),
    maxRetries,
    logger: sdkLogger,
  };
  const client = await platformClient(
    {
      provider: 'anthropic_bedrock',
      packageName: BEDROCK_SDK_PACKAGE,
      className: 'AnthropicBedrock',
      importModule: deps.importModule,
      details: { region },
    },
    options,
  );
  // The Bedrock SDK builds on @anthropic-ai/sdk and throws its error classes.
  const sdk = await loadSdk('anthropic_bedrock');
  return new AnthropicProvider('anthropic_bedrock', client, sdk);
}

/** The registry's entry point (index.ts). */
export async function createProvider(settings: ProviderSettings): Promise<AnthropicProvider> {
  return createBedrockProvider(settings);
}
