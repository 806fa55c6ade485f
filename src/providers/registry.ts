/**
 * Every provider llmproc knows. A provider is one folder under providers/ whose index.ts declares it
 * (name, title, credentials, parameter rules, caching, how to create it) and one line here. Only the
 * declarations load with a program; each adapter and its SDK load when a process starts.
 */
import { anthropicProviders } from './anthropic/index.js';
import { anthropicBedrockProviders } from './anthropic-bedrock/index.js';
import { anthropicVertexProviders } from './anthropic-vertex/index.js';
import { azureOpenaiProviders } from './azure-openai/index.js';
import { geminiProviders } from './gemini/index.js';
import { mockProviders } from './mock/index.js';
import { openaiProviders } from './openai/index.js';
import { retrySettingsFrom } from './retry-settings.js';
import { withRetries } from './retrying.js';
import type { Provider, ProviderDefinition, ProviderSettings } from './types.js';

/** In the order config errors list them. */
export const providerDefinitions = [
  ...anthropicProviders,
  ...anthropicVertexProviders,
  ...anthropicBedrockProviders,
  ...openaiProviders,
  ...azureOpenaiProviders,
  ...geminiProviders,
  ...mockProviders,
] as const;

/** A `[model] provider` value. */
export type ProviderName = (typeof providerDefinitions)[number]['name'];

/** Every provider name, in registry order. */
export const providerNames: readonly ProviderName[] = providerDefinitions.map(
  (definition) => definition.name,
);

const byName = new Map<ProviderName, ProviderDefinition<ProviderName>>(
  providerDefinitions.map((definition) => [definition.name, definition]),
);

/** The declaration of a provider name, as validated at load. */
export function providerDefinition(name: ProviderName): ProviderDefinition<ProviderName> {
  const definition = byName.get(name);
  if (!definition) throw new Error(`unreachable: provider "${name}" is not registered`);
  return definition;
}

/** Shorter values are not worth cutting from error text (and would cut ordinary words). */
const minimumSecretLength = 8;

/**
 * Creates the provider a program names, importing its adapter (and SDK) only now, with the retry,
 * error and redaction rules every provider shares (retrying.ts).
 */
export async function createProvider(
  settings: ProviderSettings & { provider: ProviderName },
): Promise<Provider> {
  const definition = providerDefinition(settings.provider);
  // The variable `[model].api_key_env` names holds a key too.
  const variables = [
    ...definition.credentials,
    ...(settings.apiKeyEnv ? [settings.apiKeyEnv] : []),
  ];
  const secrets = variables
    .map((variable) => settings.env[variable]?.trim() ?? '')
    .filter((value) => value.length >= minimumSecretLength);
  const { attempts, initialWaitSeconds, maxWaitSeconds } = retrySettingsFrom(settings.env);
  return withRetries(await definition.create(settings), {
    attempts,
    initialWaitMs: initialWaitSeconds * 1000,
    maxWaitMs: maxWaitSeconds * 1000,
    secrets,
  });
}
