/**
 * A replay builds each request with the recorded provider's own mappers: for every provider and
 * setting, the codec's request is the one the real adapter (made with fake credentials, never
 * called) builds, structured output included.
 */
import { describe, expect, it } from 'vitest';
import { createProvider, type ProviderName } from '../../providers/registry.js';
import type { ModelRequest, ProviderSettings } from '../../providers/types.js';
import { codecFor } from './codecs.js';

const env = {
  ANTHROPIC_API_KEY: 'test-key',
  OPENAI_API_KEY: 'test-key',
  AZURE_OPENAI_API_KEY: 'test-key',
  AZURE_OPENAI_ENDPOINT: 'https://example.openai.azure.com',
  GEMINI_API_KEY: 'test-key',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret-example',
  AWS_REGION: 'us-east-1',
  COMPATIBLE_KEY: 'test-key',
};

const request = (model: string, parameters: Record<string, unknown> = {}): ModelRequest => ({
  model,
  systemPrompt: 'Be brief.',
  messages: [{ role: 'user', content: 'Tell me about London' }],
  tools: [],
  parameters,
  promptCaching: true,
  stream: false,
  output: {
    name: 'CityInfo',
    schema: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
});

const cases: [
  string,
  Omit<Partial<ProviderSettings>, 'provider'> & { provider: ProviderName },
  ModelRequest,
][] = [
  ['anthropic', { provider: 'anthropic' }, request('claude-sonnet-4-5')],
  [
    'anthropic_bedrock',
    { provider: 'anthropic_bedrock', region: 'us-east-1' },
    request('anthropic.claude-sonnet-4-5-20250929-v1:0'),
  ],
  ['openai chat', { provider: 'openai' }, request('gpt-4o')],
  ['openai responses', { provider: 'openai' }, request('gpt-5', { reasoning_effort: 'low' })],
  [
    'an OpenAI-compatible server',
    { provider: 'openai', apiKeyEnv: 'COMPATIBLE_KEY', baseUrl: 'http://127.0.0.1:9/v1' },
    request('gpt-5', { reasoning_effort: 'low' }),
  ],
  ['azure_openai', { provider: 'azure_openai' }, request('gpt-4o')],
  ['gemini', { provider: 'gemini' }, request('gemini-2.5-flash')],
];

describe('replay codecs', () => {
  it.each(cases)('build what the %s adapter builds', async (_label, settings, modelRequest) => {
    const provider = await createProvider({ model: modelRequest.model, env, ...settings });
    const codec = await codecFor(settings.provider, modelRequest.model, settings);
    expect(codec.buildRequest(modelRequest)).toEqual(provider.buildRequest(modelRequest));
    await provider.close?.();
  });
});
