/**
 * The Anthropic providers, `anthropic` and `anthropic_vertex`, as the registry lists them. Light on
 * purpose: the adapter (client.ts, provider.ts) and `@anthropic-ai/sdk` load only in `create`.
 */
import { defineProvider } from '../types.js';
import { anthropicParameterRules as parameters } from './parameters.js';

export const anthropicProviders = [
  defineProvider({
    name: 'anthropic',
    title: 'Anthropic',
    credentials: ['ANTHROPIC_API_KEY'],
    automaticCaching: true,
    parameters,
    create: async (settings) => (await import('./client.js')).createProvider(settings),
  }),
  defineProvider({
    name: 'anthropic_vertex',
    title: 'Anthropic Vertex',
    credentials: ['GOOGLE_APPLICATION_CREDENTIALS'],
    automaticCaching: true,
    parameters,
    create: async (settings) => (await import('./client.js')).createProvider(settings),
  }),
] as const;
