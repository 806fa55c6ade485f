/**
 * Claude on Amazon Bedrock, `anthropic_bedrock`, as the registry lists it. Light on purpose: the
 * client (client.ts) and `@anthropic-ai/bedrock-sdk` load only in `create`. Requests, responses and
 * errors are the Anthropic Messages ones (../anthropic/), so this folder has no mappers of its own.
 */
import { anthropicParameterRules } from '../anthropic/parameters.js';
import { defineProvider } from '../types.js';

export const anthropicBedrockProviders = [
  defineProvider({
    name: 'anthropic_bedrock',
    title: 'Anthropic Bedrock',
    credentials: [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_BEARER_TOKEN_BEDROCK',
    ],
    // Bedrock caches prompts only where asked (cache_control), as the Anthropic API does.
    automaticCaching: true,
    parameters: anthropicParameterRules,
    create: async (settings) => (await import('./client.js')).createProvider(settings),
  }),
] as const;
