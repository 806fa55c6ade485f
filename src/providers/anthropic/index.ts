/**
 * The Anthropic provider, `anthropic`, as the registry lists it. Light on
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
] as const;
