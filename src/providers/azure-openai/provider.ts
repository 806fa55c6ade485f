/**
 * Azure OpenAI: the OpenAI adapter (../openai/provider.ts) over the `openai` package's `AzureOpenAI`
 * client, which sends requests to `<endpoint>/openai/deployments/<deployment>/chat/completions
 * ?api-version=<version>` with the key in an `api-key` header. Chat Completions only.
 */
import type { Provider, ProviderSettings } from '../types.js';
import { clientOptions, requireApiKey } from '../openai/client.js';
import { OpenAiProvider } from '../openai/provider.js';
import { LlmprocError } from '../../errors.js';

/** Where the key is read from unless `[model].api_key_env` names another variable. */
export const apiKeyVariable = 'AZURE_OPENAI_API_KEY';
/** The endpoint, unless `[model].base_url` gives it. */
export const endpointVariable = 'AZURE_OPENAI_ENDPOINT';
/** The API version, unless `[model].api_version` gives it. */
export const apiVersionVariable = 'OPENAI_API_VERSION';
/** The latest generally available data-plane API version when this was written. */
export const defaultApiVersion = '2024-10-21';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The endpoint (`[model].base_url`, else `AZURE_OPENAI_ENDPOINT`): the resource URL,
 * `https://<resource>.openai.azure.com`; the client adds `/openai`.
 */
export function resolveEndpoint(settings: ProviderSettings): string {
  const endpoint = nonEmpty(settings.baseUrl) ?? nonEmpty(settings.env[endpointVariable]);
  if (endpoint === undefined) {
    throw new LlmprocError(
      'MISSING_CREDENTIALS',
      `azure_openai: the endpoint must be provided via "model.base_url" or the ${endpointVariable} environment variable (https://<resource>.openai.azure.com)`,
      { details: { variable: endpointVariable, provider: 'azure_openai' } },
    );
  }
  return endpoint.replace(/\/+$/, '');
}

/**
 * Creates the Azure OpenAI provider for a process (called at `start()`): the key from
 * `AZURE_OPENAI_API_KEY` (or the variable `[model].api_key_env` names), the endpoint, the deployment
 * (`[model].deployment`, else the model name) and the API version (`[model].api_version`, else
 * `OPENAI_API_VERSION`, else {@link defaultApiVersion}). Fails naming what is missing, before any
 * request.
 */
export async function createProvider(settings: ProviderSettings): Promise<Provider> {
  const apiKey = requireApiKey(settings.env, settings.apiKeyEnv ?? apiKeyVariable, {
    provider: 'azure_openai',
    what: 'Azure OpenAI API key',
    ...(settings.apiKeyEnv === undefined ? {} : { chosenBy: 'model.api_key_env' }),
  });
  const endpoint = resolveEndpoint(settings);
  const sdk = await import('openai');
  const client = new sdk.AzureOpenAI({
    ...clientOptions(settings.env),
    apiKey,
    // Given whole, so the client reads neither AZURE_OPENAI_ENDPOINT nor OPENAI_BASE_URL itself.
    baseURL: `${endpoint}/openai`,
    deployment: settings.deployment ?? settings.model,
    apiVersion:
      settings.apiVersion ?? nonEmpty(settings.env[apiVersionVariable]) ?? defaultApiVersion,
  });
  return new OpenAiProvider(sdk, client, {
    source: { provider: 'azure_openai', label: 'azure_openai' },
    chatOnly: true,
  });
}
