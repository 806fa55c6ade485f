/**
 * The OpenAI provider as the registry lists it. Light on purpose: the adapter (provider.ts) and the
 * `openai` SDK load only in `create`.
 */
import { defineProvider } from '../types.js';

export const openaiProviders = [
  defineProvider({
    name: 'openai',
    title: 'OpenAI',
    credentials: ['OPENAI_API_KEY'],
    // With base_url, api_key_env makes it an OpenAI-compatible server (provider.ts).
    modelKeys: ['api_key_env'],
    automaticCaching: false,
    parameters: {
      own: {
        reasoning_effort: 'OpenAI reasoning models',
        // Merged into the Responses API's `reasoning` (responses/request.ts).
        reasoning: 'OpenAI reasoning models (Responses API)',
      },
    },
    create: async (settings) => (await import('./provider.js')).createProvider(settings),
  }),
] as const;
