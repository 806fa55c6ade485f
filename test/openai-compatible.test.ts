/**
 * OpenAI-compatible servers through `provider = "openai"` with `base_url` and `api_key_env`: the
 * `openai` SDK talks over HTTP to a local server replaying exchanges recorded with Groq, Mistral,
 * DeepSeek, OpenRouter, Together and vLLM (src/providers/openai/__fixtures__/compatible/).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  defineTool,
  LLMProgram,
  LlmprocError,
  ProviderError,
  type ProgramOptions,
} from '../src/index.js';
import { expectValidConversation } from './support/conversation-invariant.js';
import { loadFixture, withReplayServer, type Fixture } from './support/replay-server.js';
import { failOnUnhandledRejections } from './support/unhandled-rejections.js';

failOnUnhandledRejections();

const keyVariable = 'LLMPROC_TEST_COMPATIBLE_KEY';
const key = 'compatible-secret-key-0123456789';

beforeEach(() => {
  process.env[keyVariable] = key;
});
afterEach(() => {
  delete process.env[keyVariable];
});

function compatible(name: string): Fixture {
  return loadFixture('openai-compatible', name);
}

function recordedBody(fixture: Fixture): { model: string; messages: { content: unknown }[] } {
  return fixture.request.body as { model: string; messages: { content: unknown }[] };
}

/** The first reply text of a recorded (non-streamed) completion. */
function recordedText(fixture: Fixture): string {
  const body = fixture.response.body as { choices: { message: { content: string } }[] };
  return body.choices[0]?.message.content ?? '';
}

function program(baseUrl: string, model: string, options: Partial<ProgramOptions> = {}) {
  return new LLMProgram({
    model,
    provider: 'openai',
    baseUrl,
    apiKeyEnv: keyVariable,
    ...options,
  });
}

const weather = defineTool({
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  parameters: z.object({ city: z.string() }),
  execute: ({ city }) => `Sunny, 22C in ${city}`,
});

describe('OpenAI-compatible servers', () => {
  it.each([
    ['OpenRouter', 'openrouter-text', '/api/v1', 'end_turn'],
    ['Together', 'together-text', '/v1', 'eos'],
  ])(
    '%s: a text reply at its base path, with the key from api_key_env',
    async (_server, name, basePath, stopReason) => {
      const fixture = compatible(name);
      const body = recordedBody(fixture);
      await withReplayServer([fixture], async (server) => {
        const system = body.messages.length > 1 ? String(body.messages[0]?.content) : '';
        const proc = await program(`${server.url}${basePath}`, body.model, {
          systemPrompt: system,
        }).start();
        const result = await proc.run(String(body.messages.at(-1)?.content));
        expect(result.lastMessage).toBe(recordedText(fixture));
        expect(result.stopReason).toBe(stopReason);
        expect(server.received[0]?.url).toBe(`${basePath}/chat/completions`);
        expect(server.received[0]?.headers.authorization).toBe(`Bearer ${key}`);
        await proc.close();
      });
    },
  );

  it.each([
    ['Groq', 'groq-tool-loop', '/openai/v1', { input: 717, output: 29, cached: 0 }],
    ['Mistral', 'mistral-tool-loop', '/v1', { input: 1, output: 12, cached: 76 }],
  ])(
    '%s: a tool loop, with the call answered by its id and cached tokens read as cache reads',
    async (_server, name, basePath, firstUsage) => {
      const first = compatible(`${name}.1`);
      const second = compatible(`${name}.2`);
      await withReplayServer([first, second], async (server) => {
        const proc = await program(`${server.url}${basePath}`, recordedBody(first).model, {
          tools: [weather],
        }).start();
        const result = await proc.run("What's the weather in Paris?");
        expect(result.lastMessage).toBe(recordedText(second));
        expect(result.apiCalls).toBe(2);
        const sent = server.received[1]?.body as { messages: Record<string, unknown>[] };
        const call = (
          first.response.body as { choices: { message: { tool_calls: { id: string }[] } }[] }
        ).choices[0]?.message.tool_calls[0]?.id;
        expect(sent.messages.at(-1)).toEqual({
          role: 'tool',
          tool_call_id: call,
          content: 'Sunny, 22C in Paris',
        });
        expect(result.apiCallInfos[0]?.usage).toMatchObject({
          inputTokens: firstUsage.input,
          outputTokens: firstUsage.output,
          cacheReadTokens: firstUsage.cached,
        });
        await expectValidConversation(proc, { runAgain: false });
        await proc.close();
      });
    },
  );

  it('DeepSeek: reasoning_content becomes a thinking block that is never sent back', async () => {
    const fixture = compatible('deepseek-reasoning');
    const reasoning = (
      fixture.response.body as { choices: { message: { reasoning_content: string } }[] }
    ).choices[0]?.message.reasoning_content;
    const next = compatible('openrouter-text');
    next.request.path = '/chat/completions';
    await withReplayServer([fixture, next], async (server) => {
      // DeepSeek's base URL has no /v1: it is used exactly as given.
      const proc = await program(server.url, 'deepseek-reasoner').start();
      const result = await proc.run('How do I cross the street?');
      expect(server.received[0]?.url).toBe('/chat/completions');
      expect(result.lastMessage).toBe(recordedText(fixture));
      const [thinking, text] = proc.getState()[1]?.content as { type: string; thinking?: string }[];
      expect(thinking).toEqual({ type: 'thinking', thinking: reasoning });
      expect(text?.type).toBe('text');
      expect(result.usage).toMatchObject({
        inputTokens: 12,
        outputTokens: 789,
        reasoningTokens: 415,
      });
      // The next request carries the answer but not the reasoning (DeepSeek refuses it).
      await proc.run('Thanks');
      const sent = JSON.stringify(server.received[1]?.body);
      expect(sent).not.toContain('reasoning_content');
      expect(sent).not.toContain(String(reasoning).slice(0, 40));
      await proc.close();
    });
  });

  it('vLLM: a stream with no usage chunk gives text deltas, the length stop and zero usage', async () => {
    const fixture = compatible('vllm-text-stream');
    const body = fixture.request.body as { model: string; max_tokens: number; temperature: number };
    await withReplayServer([fixture], async (server) => {
      const proc = await program(`${server.url}/v1`, body.model, {
        parameters: { max_tokens: body.max_tokens, temperature: body.temperature },
      }).start();
      const deltas: string[] = [];
      proc.addCallback({ text_delta: (delta) => deltas.push(delta) });
      const result = await proc.run('Tell me a joke about OpenTelemetry', { stream: true });
      expect(deltas.length).toBeGreaterThan(1);
      expect(result.lastMessage).toBe(deltas.join(''));
      expect(result.stopReason).toBe('max_tokens');
      expect(result.usage).toMatchObject({ inputTokens: 0, outputTokens: 0 });
      await proc.close();
    });
  });

  it('Groq: a rejected request is a ProviderError naming the server and the code; the conversation stays valid', async () => {
    const failure = compatible('groq-error-400-tool-use-failed');
    await withReplayServer([failure, compatible('groq-tool-loop.2')], async (server) => {
      const proc = await program(`${server.url}/openai/v1`, 'openai/gpt-oss-120b', {
        tools: [weather],
      }).start();
      const error: unknown = await proc.run('Call the tool').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: 'openai', status: 400 });
      expect((error as Error).message).toMatch(
        /^openai-compatible server 127\.0\.0\.1:\d+ API error 400 \(tool_use_failed\): Tool call validation failed/,
      );
      expect((error as Error).message).not.toContain(key);
      expect(proc.getState()).toEqual([]);
      await expectValidConversation(proc, { runAgain: false });
      await proc.close();
    });
  });

  it('redacts the key of the variable api_key_env names from errors, as it does the built-in ones', async () => {
    const echo: Fixture = {
      ...compatible('openrouter-text'),
      response: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { error: { message: `Invalid API key: ${key}`, code: 401 } },
      },
    };
    await withReplayServer([echo], async (server) => {
      const proc = await program(
        `${server.url}/api/v1`,
        'google/gemini-2.0-flash-exp:free',
      ).start();
      const error: unknown = await proc.run('hi').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as Error).message).toContain('Invalid API key');
      expect((error as Error).message).not.toContain(key);
      expect(JSON.stringify(error)).not.toContain(key);
      await proc.close();
    });
  });

  it('refuses to start when the variable api_key_env names is unset, naming it', async () => {
    delete process.env[keyVariable];
    const error: unknown = await program(
      'https://api.groq.com/openai/v1',
      'llama-3.3-70b-versatile',
    )
      .start()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmprocError);
    expect(error).toMatchObject({ code: 'MISSING_CREDENTIALS' });
    expect((error as Error).message).toBe(
      `API key of api.groq.com must be provided via ${keyVariable} environment variable (named by "model.api_key_env")`,
    );
  });

  it('refuses api_key_env on a provider that does not read it, naming who does', () => {
    expect(
      () =>
        new LLMProgram({ model: 'claude-sonnet-4-5', provider: 'anthropic', apiKeyEnv: 'MY_KEY' }),
    ).toThrow(ConfigError);
    expect(
      () =>
        new LLMProgram({ model: 'claude-sonnet-4-5', provider: 'anthropic', apiKeyEnv: 'MY_KEY' }),
    ).toThrow(/"model\.api_key_env" is only read by provider openai/);
  });
});
