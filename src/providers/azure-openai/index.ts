/**
 * The Azure OpenAI provider as the registry lists it. Light on purpose: the adapter (provider.ts) and
 * the `openai` SDK (its `AzureOpenAI` client) load only in `create`. Requests and responses are the
 * OpenAI Chat Completions ones (../openai/chat/), so this folder has no mappers of its own.
 */
import { defineProvider } from '../types.js';

export const azureOpenaiProviders = [
  defineProvider({
    name: 'azure_openai',
    title: 'Azure OpenAI',
    credentials: ['AZURE_OPENAI_API_KEY'],
    modelKeys: ['api_key_env', 'deployment', 'api_version'],
    automaticCaching: false,
    parameters: { own: { reasoning_effort: 'OpenAI reasoning models' } },
    create: async (settings) => (await import('./provider.js')).createProvider(settings),
  }),
] as const;
