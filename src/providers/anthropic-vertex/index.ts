/**
 * Claude on Vertex AI, `anthropic_vertex`, as the registry lists it. Light on purpose: the client
 * (client.ts) and `@anthropic-ai/vertex-sdk` load only in `create`. Requests, responses and errors
 * are the Anthropic Messages ones (../anthropic/), so this folder has no mappers of its own.
 */
import { anthropicParameterRules } from '../anthropic/parameters.js';
import { defineProvider } from '../types.js';

export const anthropicVertexProviders = [
  defineProvider({
    name: 'anthropic_vertex',
    title: 'Anthropic Vertex',
    credentials: ['GOOGLE_APPLICATION_CREDENTIALS'],
    automaticCaching: true,
    parameters: anthropicParameterRules,
    create: async (settings) => (await import('./client.js')).createProvider(settings),
  }),
] as const;
