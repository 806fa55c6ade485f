/**
 * The mock provider as the registry lists it: no credentials, every parameter accepted, no SDK.
 */
import { defineProvider } from '../types.js';

export const mockProviders = [
  defineProvider({
    name: 'mock',
    title: 'Mock',
    credentials: [],
    automaticCaching: true,
    parameters: 'any',
    create: async (settings) => (await import('./provider.js')).createProvider(settings),
  }),
] as const;
