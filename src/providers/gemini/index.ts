/**
 * The Gemini providers, `gemini` and `gemini_vertex`, as the registry lists them. Light on purpose:
 * the adapter and `@google/genai` load only in `create`. Decisions (payload shape, usage, stop
 * reasons, thought signatures, retries) are documented in README.md next to this file.
 */
import { defineProvider } from '../types.js';

// `thinking` (Anthropic's shape) is mapped to thinkingConfig (request.ts).
const parameters = { own: { thinking: 'Gemini models' } };

export const geminiProviders = [
  defineProvider({
    name: 'gemini',
    title: 'Gemini',
    credentials: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    automaticCaching: false,
    parameters,
    create: async (settings) => (await import('./provider.js')).createProvider(settings),
  }),
  defineProvider({
    name: 'gemini_vertex',
    title: 'Gemini Vertex',
    credentials: ['GOOGLE_APPLICATION_CREDENTIALS'],
    automaticCaching: false,
    parameters,
    create: async (settings) => (await import('./provider.js')).createProvider(settings),
  }),
] as const;
