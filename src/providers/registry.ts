import type { Provider, ProviderName, ProviderSettings } from './types.js';

/**
 * Creates the provider a program names. Each adapter is imported only here and only when used, so a
 * mock or Anthropic run never loads the OpenAI or Gemini SDKs.
 */
export async function createProvider(settings: ProviderSettings): Promise<Provider> {
  const name: ProviderName = settings.provider;
  switch (name) {
    case 'mock':
      return (await import('./mock/mock-provider.js')).createProvider(settings);
    case 'anthropic':
    case 'anthropic_vertex':
      return (await import('./anthropic/index.js')).createProvider(settings);
    case 'openai':
      return (await import('./openai/index.js')).createProvider(settings);
    case 'gemini':
    case 'gemini_vertex':
      return (await import('./gemini/index.js')).createProvider(settings);
    default: {
      const unreachable: never = name;
      throw new Error(`unreachable provider ${String(unreachable)}`);
    }
  }
}
