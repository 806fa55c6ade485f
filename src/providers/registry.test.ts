import { describe, expect, it } from 'vitest';
import { LLMProgram } from '../index.js';
import { createProvider, providerDefinition, providerNames } from './registry.js';

describe('the provider registry', () => {
  it('lists every provider once, in the order config errors name them', () => {
    expect(providerNames).toEqual([
      'anthropic',
      'anthropic_vertex',
      'anthropic_bedrock',
      'openai',
      'azure_openai',
      'gemini',
      'gemini_vertex',
      'mock',
    ]);
  });

  it("takes a program's default display name from the provider's declared title", () => {
    const program = LLMProgram.fromDict({ model: { name: 'gpt-4o', provider: 'openai' } });
    expect(program.displayName).toBe(`${providerDefinition('openai').title} gpt-4o`);
    expect(program.displayName).toBe('OpenAI gpt-4o');
  });

  it('creates the provider a program names through its declaration', async () => {
    const provider = await createProvider({ provider: 'mock', model: 'm', env: {} });
    expect(provider.name).toBe('mock');
  });

  it('checks credentials at creation, before any request', async () => {
    await expect(
      createProvider({ provider: 'openai', model: 'gpt-4o', env: {} }),
    ).rejects.toMatchObject({
      code: 'MISSING_CREDENTIALS',
    });
  });
});
