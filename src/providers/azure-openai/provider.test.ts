/**
 * Azure OpenAI over real HTTP: the `openai` package's `AzureOpenAI` client talks to a local server
 * replaying exchanges recorded against Azure (__fixtures__/), nothing inside the SDK mocked.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, LLMProgram, LlmprocError, ProviderError } from '../../index.js';
import {
  loadFixture,
  withReplayServer,
  type Fixture,
} from '../../../test/support/replay-server.js';
import { expectValidConversation } from '../../../test/support/conversation-invariant.js';
import type { ModelRequest } from '../types.js';
import { createProvider } from './provider.js';

const key = 'azure-secret-key-0123456789abcdef';

function azure(name: string): Fixture {
  return loadFixture('azure-openai', name);
}

function recordedText(fixture: Fixture): string {
  const body = fixture.response.body as { choices: { message: { content: string } }[] };
  return body.choices[0]?.message.content ?? '';
}

beforeEach(() => {
  process.env['AZURE_OPENAI_API_KEY'] = key;
});
afterEach(() => {
  delete process.env['AZURE_OPENAI_API_KEY'];
});

function request(overrides: Partial<ModelRequest>): ModelRequest {
  return {
    model: 'gpt-4o-mini',
    systemPrompt: '',
    messages: [],
    tools: [],
    parameters: {},
    promptCaching: false,
    stream: false,
    ...overrides,
  };
}

describe('azure_openai', () => {
  it('runs a program against the deployment path with the api-version and the api-key header', async () => {
    const fixture = azure('chat-text');
    await withReplayServer([fixture], async (server) => {
      const proc = await new LLMProgram({
        model: 'gpt-4o',
        provider: 'azure_openai',
        baseUrl: server.url,
        apiVersion: '2024-12-01-preview',
      }).start();
      const result = await proc.run('What is the capital of France?');
      expect(result.lastMessage).toBe(recordedText(fixture));
      expect(result.stopReason).toBe('end_turn');
      expect(result.usage).toMatchObject({ inputTokens: 14, outputTokens: 9 });
      const received = server.received[0];
      expect(received?.url).toBe(
        '/openai/deployments/gpt-4o/chat/completions?api-version=2024-12-01-preview',
      );
      expect(received?.headers['api-key']).toBe(key);
      expect(received?.headers.authorization).toBeUndefined();
      expect(proc.displayName).toBe('Azure OpenAI gpt-4o');
      await expectValidConversation(proc, { runAgain: false });
      await proc.close();
    });
  });

  it('streams a tool call from the configured deployment, its arguments assembled from fragments', async () => {
    const fixture = azure('chat-stream-tool-call');
    const recorded = fixture.request.body as { tools: { function: { parameters: object } }[] };
    await withReplayServer([fixture], async (server) => {
      const provider = await createProvider({
        provider: 'azure_openai',
        model: 'gpt-4o-mini',
        deployment: 'gpt-4o-mini',
        apiVersion: '2024-12-01-preview',
        baseUrl: `${server.url}/`,
        env: { AZURE_OPENAI_API_KEY: key },
      });
      const deltas: string[] = [];
      const { response } = await provider.doGenerate(
        provider.buildRequest(
          request({
            messages: [{ role: 'user', content: 'What is the temperature in San Francisco?' }],
            tools: [
              {
                name: 'get_current_temperature',
                description: 'Get the current temperature in a city.',
                inputSchema: recorded.tools[0]?.function.parameters as Record<string, unknown>,
              },
            ],
            stream: true,
          }),
        ),
        { onTextDelta: (delta) => deltas.push(delta) },
      );
      expect(server.received[0]?.url).toBe(
        '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-12-01-preview',
      );
      expect(deltas).toEqual([]);
      expect(response.content).toEqual([
        {
          type: 'tool_use',
          id: 'call_A6XpaIHt5uNwiDqVxyvKoXMa',
          name: 'get_current_temperature',
          input: { city: 'San Francisco' },
        },
      ]);
      expect(response.stopReason).toBe('tool_use');
    });
  });

  it('reads the key from the variable api_key_env names, and the deployment and version from config', async () => {
    const fixture = azure('chat-text');
    process.env['MY_AZURE_KEY'] = 'other-azure-key-0123456789';
    try {
      await withReplayServer([fixture], async (server) => {
        const proc = await new LLMProgram({
          model: 'my-model',
          provider: 'azure_openai',
          baseUrl: server.url,
          deployment: 'gpt-4o',
          apiVersion: '2024-12-01-preview',
          apiKeyEnv: 'MY_AZURE_KEY',
          tools: [
            defineTool({
              name: 'noop',
              description: 'Does nothing.',
              parameters: z.object({}),
              execute: () => 'ok',
            }),
          ],
        }).start();
        await proc.run('What is the capital of France?');
        expect(server.received[0]?.url).toMatch(
          /^\/openai\/deployments\/gpt-4o\/chat\/completions/,
        );
        expect(server.received[0]?.headers['api-key']).toBe('other-azure-key-0123456789');
        await proc.close();
      });
    } finally {
      delete process.env['MY_AZURE_KEY'];
    }
  });

  it('fails a run with a ProviderError of provider azure_openai, and never shows the key', async () => {
    const failure: Fixture = {
      ...azure('chat-text'),
      response: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: {
          error: {
            code: '401',
            message: `Access denied due to invalid subscription key ${key}.`,
          },
        },
      },
    };
    await withReplayServer([failure], async (server) => {
      const proc = await new LLMProgram({
        model: 'gpt-4o',
        provider: 'azure_openai',
        baseUrl: server.url,
        apiVersion: '2024-12-01-preview',
      }).start();
      const error: unknown = await proc.run('hi').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: 'azure_openai', status: 401 });
      expect((error as Error).message).toMatch(/^azure_openai API error 401/);
      expect((error as Error).message).not.toContain(key);
      expect(proc.getState()).toEqual([]);
      await proc.close();
    });
  });

  it('refuses to start without a key or an endpoint, naming the variable', async () => {
    const missingKey: unknown = await createProvider({
      provider: 'azure_openai',
      model: 'gpt-4o',
      baseUrl: 'https://example.openai.azure.com',
      env: {},
    }).catch((e: unknown) => e);
    expect(missingKey).toBeInstanceOf(LlmprocError);
    expect((missingKey as Error).message).toBe(
      'Azure OpenAI API key must be provided via AZURE_OPENAI_API_KEY environment variable',
    );
    const missingEndpoint: unknown = await createProvider({
      provider: 'azure_openai',
      model: 'gpt-4o',
      env: { AZURE_OPENAI_API_KEY: key },
    }).catch((e: unknown) => e);
    expect((missingEndpoint as Error).message).toMatch(
      /endpoint must be provided via "model.base_url" or the AZURE_OPENAI_ENDPOINT environment variable/,
    );
  });
});
