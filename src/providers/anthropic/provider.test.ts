/**
 * The adapter over real HTTP: the official SDK talks to a local replay server serving recorded
 * Anthropic exchanges (__fixtures__/), nothing inside the SDK is mocked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadFixture,
  startReplayServer,
  type Fixture,
  type ReplayServer,
} from '../../../test/support/replay-server.js';
import { LlmprocError, ProviderError } from '../../errors.js';
import type { Message } from '../../conversation/messages.js';
import type { ModelRequest, ProviderSettings, ToolSpec } from '../types.js';
import { createAnthropicProvider, createProvider } from './client.js';

const API_KEY = 'sk-ant-test-key-not-real';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function fixture(name: string): Fixture {
  return loadFixture('anthropic', name);
}

/**
 * A copy of an error fixture that tells the SDK to retry after 1 ms instead of seconds, without the
 * `x-should-retry` hint, so that whether it retries depends on the status alone.
 */
function fastRetry(name: string): Fixture {
  const copy = structuredClone(fixture(name));
  const headers: Record<string, string> = { ...copy.response.headers, 'retry-after-ms': '1' };
  delete headers['x-should-retry'];
  copy.response.headers = headers;
  return copy;
}

/** A copy of a fixture answering on another path (same response). */
function onPath(name: string, path: string): Fixture {
  const copy = structuredClone(fixture(name));
  copy.request.path = path;
  return copy;
}

async function serve(fixtures: Fixture[], frameDelayMs = 0): Promise<ReplayServer> {
  server = await startReplayServer(fixtures, { frameDelayMs });
  return server;
}

function settings(url: string, env: Record<string, string> = {}): ProviderSettings {
  return {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    env: { ANTHROPIC_API_KEY: API_KEY, ...env },
    baseUrl: url,
  };
}

async function providerFor(url: string, env: Record<string, string> = {}) {
  return createAnthropicProvider(settings(url, env));
}

function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    // Not a model the SDK warns about as deprecated, to keep the test output clean.
    model: 'claude-haiku-4-5',
    systemPrompt: '',
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
    tools: [],
    parameters: {},
    promptCaching: false,
    stream: false,
    ...overrides,
  };
}

interface RecordedBody {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: string; content: unknown }[];
  tools?: { name: string; description: string; input_schema: Record<string, unknown> }[];
  thinking?: Record<string, unknown>;
}

function recordedBody(name: string): RecordedBody {
  return fixture(name).request.body as RecordedBody;
}

function toolSpecs(body: RecordedBody): ToolSpec[] {
  return (body.tools ?? [])
    .filter((tool) => 'input_schema' in tool)
    .map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.input_schema,
    }));
}

function receivedBody(replay: ReplayServer, index: number): Record<string, unknown> {
  const body = replay.received[index]?.body;
  if (typeof body !== 'object' || body === null) throw new Error(`no request ${String(index)}`);
  return body as Record<string, unknown>;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('AnthropicProvider over HTTP', () => {
  it('sends the built payload as the request body and maps the recorded text reply', async () => {
    const replay = await serve([fixture('text')]);
    const provider = await providerFor(replay.url);
    const payload = provider.buildRequest(
      modelRequest({ systemPrompt: 'You are a helpful assistant.' }),
    );
    const { raw, response } = await provider.doGenerate(payload, {});

    expect(replay.received).toHaveLength(1);
    expect(receivedBody(replay, 0)).toEqual(JSON.parse(JSON.stringify(payload)));
    expect(JSON.stringify(payload)).not.toContain(API_KEY);
    expect(raw).toMatchObject({ id: 'msg_01Fg1JVgvCYUHWsxrj9GkpEv', stop_reason: 'end_turn' });
    expect(response.content).toEqual([{ type: 'text', text: 'The capital of France is Paris.' }]);
    expect(response.stopReason).toBe('end_turn');
    expect(response.usage).toEqual({
      inputTokens: 20,
      outputTokens: 10,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('runs the two-step tool loop, sending the tool result back under the tool call id', async () => {
    const first = recordedBody('tool-loop.1');
    const second = recordedBody('tool-loop.2');
    const replay = await serve([fixture('tool-loop.1'), fixture('tool-loop.2')]);
    const provider = await providerFor(replay.url);
    const tools = toolSpecs(first);
    const messages: Message[] = [{ role: 'user', content: "What's the weather in Paris?" }];

    const step1 = await provider.doGenerate(
      provider.buildRequest(
        modelRequest({ messages, tools, parameters: { tool_choice: { type: 'auto' } } }),
      ),
      {},
    );
    expect(step1.response.stopReason).toBe('tool_use');
    const call = step1.response.content[0];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    expect(call).toEqual({
      type: 'tool_use',
      id: 'toolu_01WN4AuToBnJyXNQXwQBBebj',
      name: 'get_weather',
      input: { city: 'Paris' },
    });

    messages.push({ role: 'assistant', content: step1.response.content });
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: call.id,
          content: 'Sunny, 22C in Paris',
          is_error: false,
        },
      ],
    });
    const step2 = await provider.doGenerate(
      provider.buildRequest(
        modelRequest({ messages, tools, parameters: { tool_choice: { type: 'auto' } } }),
      ),
      {},
    );

    const sent = receivedBody(replay, 1);
    expect(sent['messages']).toEqual(second.messages);
    expect(sent['tools']).toEqual(second.tools);
    expect(step2.response.stopReason).toBe('end_turn');
    expect(step2.response.content[0]).toMatchObject({ type: 'text' });
  });

  it('answers all parallel tool calls of one reply in one user message', async () => {
    const recorded = recordedBody('parallel-tool-loop.2');
    const replay = await serve([fixture('parallel-tool-loop.1'), fixture('parallel-tool-loop.2')]);
    const provider = await providerFor(replay.url);
    const request = modelRequest({
      model: 'claude-haiku-4-5',
      systemPrompt: recordedBody('parallel-tool-loop.1').system ?? '',
      messages: [
        {
          role: 'user',
          content: 'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?',
        },
      ],
      tools: toolSpecs(recorded),
    });
    const step1 = await provider.doGenerate(provider.buildRequest(request), {});
    const calls = step1.response.content.filter((b) => b.type === 'tool_use');
    expect(calls).toHaveLength(4);

    const facts: Record<string, string> = {
      Alice: "alice is bob's wife",
      Bob: "bob is alice's husband",
      Charlie: "charlie is alice's son",
      Daisy: "daisy is bob's daughter and charlie's younger sister",
    };
    const messages: Message[] = [
      ...request.messages,
      { role: 'assistant', content: step1.response.content },
      {
        role: 'user',
        content: calls.map((c) => ({
          type: 'tool_result' as const,
          tool_use_id: c.id,
          content: facts[String(c.input['name'])] ?? '',
          is_error: false,
        })),
      },
    ];
    const step2 = await provider.doGenerate(provider.buildRequest({ ...request, messages }), {});
    expect(receivedBody(replay, 1)['messages']).toEqual(recorded.messages);
    expect(step2.response.stopReason).toBe('end_turn');
  });

  it('streams text: every delta reaches onTextDelta before the final message, and they add up to it', async () => {
    const replay = await serve([fixture('text-stream')], 5);
    const provider = await providerFor(replay.url);
    const deltas: string[] = [];
    const payload = provider.buildRequest(
      modelRequest({
        messages: [{ role: 'user', content: 'What is 1+1? Answer with just the number.' }],
        parameters: { max_tokens: 32000 },
        stream: true,
      }),
    );
    expect(payload['stream']).toBe(true);
    const { raw, response } = await provider.doGenerate(payload, {
      onTextDelta: (d) => deltas.push(d),
    });

    expect(receivedBody(replay, 0)['stream']).toBe(true);
    expect(deltas).toEqual(['2']);
    expect(response.content).toEqual([{ type: 'text', text: '2' }]);
    expect(raw).toMatchObject({ id: 'msg_018E1hg8GoVTGEKQY3ovMcSJ', stop_reason: 'end_turn' });
    expect(response.usage.outputTokens).toBe(5);
  });

  it('streams a tool call: text deltas arrive, the tool input is assembled from JSON fragments, and the result goes back', async () => {
    const first = recordedBody('stream-tool-search-tool-loop.1');
    const replay = await serve(
      [fixture('stream-tool-search-tool-loop.1'), fixture('stream-tool-search-tool-loop.2')],
      1,
    );
    const provider = await providerFor(replay.url);
    const deltas: string[] = [];
    const request = modelRequest({
      model: first.model,
      messages: [{ role: 'user', content: 'What is the current USD to EUR exchange rate?' }],
      tools: toolSpecs(first),
      stream: true,
    });
    const step1 = await provider.doGenerate(provider.buildRequest(request), {
      onTextDelta: (d) => deltas.push(d),
    });

    const texts = step1.response.content.flatMap((b) => (b.type === 'text' ? [b.text] : []));
    expect(texts).toEqual([
      'Let me search for a tool that can provide current exchange rate information.',
      'I found the right tool! Let me fetch the current USD to EUR exchange rate for you.',
    ]);
    expect(deltas.length).toBe(4);
    expect(deltas.join('')).toBe(texts.join(''));
    const call = step1.response.content.find((b) => b.type === 'tool_use');
    expect(call).toEqual({
      type: 'tool_use',
      id: 'toolu_01EFn5wTNBYA8Reni8rbmnHT',
      name: 'get_exchange_rate',
      input: { from_currency: 'USD', to_currency: 'EUR' },
    });
    expect(step1.response.stopReason).toBe('tool_use');

    const messages: Message[] = [
      ...request.messages,
      { role: 'assistant', content: step1.response.content },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01EFn5wTNBYA8Reni8rbmnHT',
            content: '1 USD = 0.92 EUR',
            is_error: false,
          },
        ],
      },
    ];
    const finalDeltas: string[] = [];
    const step2 = await provider.doGenerate(provider.buildRequest({ ...request, messages }), {
      onTextDelta: (d) => finalDeltas.push(d),
    });
    const sent = receivedBody(replay, 1) as {
      messages: { role: string; content: { type: string; tool_use_id?: string }[] }[];
    };
    expect(sent.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent.messages[2]?.content[0]).toMatchObject({
      type: 'tool_result',
      tool_use_id: 'toolu_01EFn5wTNBYA8Reni8rbmnHT',
    });
    const answer = step2.response.content[0];
    expect(answer?.type === 'text' ? answer.text : '').toBe(finalDeltas.join(''));
    expect(finalDeltas).toHaveLength(4);
  });

  it('streams thinking without passing thinking text to onTextDelta, and keeps the signature', async () => {
    const recorded = recordedBody('thinking-stream');
    const replay = await serve([fixture('thinking-stream')]);
    const provider = await providerFor(replay.url);
    const deltas: string[] = [];
    const { response } = await provider.doGenerate(
      provider.buildRequest(
        modelRequest({
          model: recorded.model,
          messages: [{ role: 'user', content: 'How do I cross the street?' }],
          parameters: { thinking: recorded.thinking },
          stream: true,
        }),
      ),
      { onTextDelta: (d) => deltas.push(d) },
    );
    const [thinking, text] = response.content;
    expect(thinking?.type).toBe('thinking');
    if (thinking?.type !== 'thinking' || text?.type !== 'text')
      throw new Error('unexpected blocks');
    expect(thinking.thinking.startsWith('This is a straightforward question')).toBe(true);
    expect(thinking.signature?.startsWith('EvMCCkYICxgCKkCHP2cSuEdcJK')).toBe(true);
    expect(deltas.join('')).toBe(text.text);
    expect(deltas.join('')).not.toContain('straightforward');
    expect(receivedBody(replay, 0)['thinking']).toEqual({ budget_tokens: 1024, type: 'enabled' });
  });

  it('sends adaptive thinking and effort as the Messages API takes them, and maps the thinking reply', async () => {
    // No adaptive exchange is recorded: the reply is thinking.json's (a thinking block with its
    // signature, then text), which adaptive thinking answers in the same shape.
    const replay = await serve([fixture('thinking')]);
    const provider = await providerFor(replay.url);
    const { response } = await provider.doGenerate(
      provider.buildRequest(
        modelRequest({
          model: 'claude-opus-4-6',
          messages: [{ role: 'user', content: 'How do I cross the street?' }],
          parameters: { thinking: { type: 'adaptive' }, effort: 'medium' },
        }),
      ),
      {},
    );
    const body = receivedBody(replay, 0);
    expect(body['thinking']).toEqual({ type: 'adaptive' });
    expect(body['output_config']).toEqual({ effort: 'medium' });
    expect('effort' in body).toBe(false);
    expect(response.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const [thinking] = response.content;
    expect(thinking?.type === 'thinking' && thinking.signature !== undefined).toBe(true);
  });

  it('sends thinking blocks back with their signature on the next call', async () => {
    const replay = await serve([fixture('thinking'), fixture('text')]);
    const provider = await providerFor(replay.url);
    const messages: Message[] = [{ role: 'user', content: 'How do I cross the street?' }];
    const thinking = { thinking: { type: 'enabled', budget_tokens: 1024 } };
    const first = await provider.doGenerate(
      provider.buildRequest(modelRequest({ messages, parameters: thinking })),
      {},
    );
    messages.push({ role: 'assistant', content: first.response.content });
    messages.push({ role: 'user', content: 'Thanks' });
    await provider.doGenerate(
      provider.buildRequest(modelRequest({ messages, parameters: thinking })),
      {},
    );

    const recordedThinking = (fixture('thinking').response.body as { content: unknown[] })
      .content[0];
    const sent = receivedBody(replay, 1) as { messages: { content: unknown[] }[] };
    expect(sent.messages[1]?.content[0]).toEqual(recordedThinking);
  });

  it('reports cache read and cache write tokens, and caches the system prompt', async () => {
    const replay = await serve([fixture('prompt-cache.2')]);
    const provider = await providerFor(replay.url);
    const { response } = await provider.doGenerate(
      provider.buildRequest(
        modelRequest({ systemPrompt: 'You are a helpful assistant.', promptCaching: true }),
      ),
      {},
    );
    expect(response.usage).toMatchObject({
      cacheReadTokens: 1111,
      cacheWriteTokens: 418,
      inputTokens: 3,
    });
    expect(receivedBody(replay, 0)['system']).toEqual([
      { type: 'text', text: 'You are a helpful assistant.', cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('sends [parameters].extra_headers as HTTP headers, not in the body', async () => {
    const replay = await serve([fixture('text')]);
    const provider = await providerFor(replay.url);
    const payload = provider.buildRequest(
      modelRequest({
        parameters: {
          extra_headers: { 'anthropic-beta': 'token-efficient-tools-2025-02-19', 'x-trace': 7 },
        },
      }),
    );
    expect(payload['extra_headers']).toEqual({
      'anthropic-beta': 'token-efficient-tools-2025-02-19',
      'x-trace': '7',
    });
    await provider.doGenerate(payload, {});
    const received = replay.received[0];
    expect(received?.headers['anthropic-beta']).toBe('token-efficient-tools-2025-02-19');
    expect(received?.headers['x-trace']).toBe('7');
    expect(Object.keys(receivedBody(replay, 0))).not.toContain('extra_headers');
  });

  it('streams a non-streaming request whose max_tokens the SDK refuses to wait for', async () => {
    const replay = await serve([fixture('text-stream')]);
    const provider = await providerFor(replay.url);
    const deltas: string[] = [];
    const payload = provider.buildRequest(modelRequest({ parameters: { max_tokens: 32000 } }));
    expect(Object.keys(payload)).not.toContain('stream');
    const { response } = await provider.doGenerate(payload, { onTextDelta: (d) => deltas.push(d) });
    expect(receivedBody(replay, 0)['stream']).toBe(true);
    expect(response.content).toEqual([{ type: 'text', text: '2' }]);
    expect(deltas).toEqual([]);
  });
});

describe('AnthropicProvider failures', () => {
  it('retries a 529 overloaded reply and returns the success that follows', async () => {
    const replay = await serve([fastRetry('error-529-overloaded'), fixture('text')]);
    const provider = await providerFor(replay.url);
    const { response } = await provider.doGenerate(provider.buildRequest(modelRequest()), {});
    expect(replay.received).toHaveLength(2);
    expect(response.content).toEqual([{ type: 'text', text: 'The capital of France is Paris.' }]);
  });

  it('retries a 429 rate limit reply and returns the success that follows', async () => {
    const replay = await serve([
      fastRetry('error-429-rate-limit'),
      fastRetry('error-429-rate-limit'),
      fixture('text'),
    ]);
    const provider = await providerFor(replay.url);
    const { response } = await provider.doGenerate(provider.buildRequest(modelRequest()), {});
    expect(replay.received).toHaveLength(3);
    expect(response.stopReason).toBe('end_turn');
  });

  it('gives up after LLMPROC_RETRY_MAX_ATTEMPTS attempts with an error naming provider, status and message', async () => {
    const replay = await serve([
      fastRetry('error-529-overloaded'),
      fastRetry('error-529-overloaded'),
      fastRetry('error-529-overloaded'),
      fixture('text'),
    ]);
    const provider = await providerFor(replay.url, { LLMPROC_RETRY_MAX_ATTEMPTS: '3' });
    const error = await rejection(provider.doGenerate(provider.buildRequest(modelRequest()), {}));
    expect(replay.received).toHaveLength(3);
    expect(error).toBeInstanceOf(ProviderError);
    const providerError = error as ProviderError;
    expect(providerError.message).toBe('anthropic API error 529 (overloaded_error): Overloaded');
    expect(providerError.status).toBe(529);
    expect(providerError.provider).toBe('anthropic');
    expect(providerError.code).toBe('PROVIDER_ERROR');
    expect(providerError.details).toEqual({
      type: 'overloaded_error',
      requestId: 'req_011SYNTHETIC529000000000',
    });
    expect((providerError.cause as Error).constructor.name).toBe('OverloadedError');
  });

  it('fails at once on 401, with exactly one request sent', async () => {
    const replay = await serve([fastRetry('error-401-authentication'), fixture('text')]);
    const provider = await providerFor(replay.url);
    const error = await rejection(provider.doGenerate(provider.buildRequest(modelRequest()), {}));
    expect(replay.received).toHaveLength(1);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(401);
    expect((error as ProviderError).message).toBe(
      'anthropic API error 401 (authentication_error): invalid x-api-key',
    );
    expect((error as ProviderError).message).not.toContain(API_KEY);
  });

  it('fails at once on the recorded 400 and 404 replies', async () => {
    for (const [name, status, message] of [
      [
        'error-400-invalid-request',
        400,
        "This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.",
      ],
      ['error-404-not-found', 404, 'model: claude-sonet-4-5'],
    ] as const) {
      const replay = await serve([fastRetry(name), fixture('text')]);
      const provider = await providerFor(replay.url);
      const error = await rejection(provider.doGenerate(provider.buildRequest(modelRequest()), {}));
      expect(replay.received).toHaveLength(1);
      expect((error as ProviderError).status).toBe(status);
      expect((error as ProviderError).message).toContain(`anthropic API error ${String(status)}`);
      expect((error as ProviderError).message).toContain(message);
      await replay.close();
      server = undefined;
    }
  });

  it('rejects a stream that fails midway with the API error, after the text that did arrive', async () => {
    const replay = await serve([fixture('stream-error-overloaded'), fixture('text')]);
    const provider = await providerFor(replay.url);
    const deltas: string[] = [];
    const error = await rejection(
      provider.doGenerate(provider.buildRequest(modelRequest({ stream: true })), {
        onTextDelta: (d) => deltas.push(d),
      }),
    );
    expect(deltas).toEqual(['The capital']);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe(
      'anthropic API error (stream error, overloaded_error): Overloaded',
    );
    expect((error as ProviderError).status).toBeUndefined();
    expect(replay.received).toHaveLength(1);
  });

  it('cancels an in-flight stream when the signal aborts', async () => {
    const replay = await serve([fixture('thinking-stream')], 5);
    const provider = await providerFor(replay.url);
    const controller = new AbortController();
    const deltas: string[] = [];
    const error = await rejection(
      provider.doGenerate(provider.buildRequest(modelRequest({ stream: true })), {
        signal: controller.signal,
        onTextDelta: (d) => {
          deltas.push(d);
          controller.abort();
        },
      }),
    );
    expect(error).toBeInstanceOf(LlmprocError);
    expect((error as LlmprocError).code).toBe('ABORTED');
    expect((error as LlmprocError).message).toBe('anthropic request was aborted');
    expect(deltas).toEqual(['Here are']);
  });

  it('sends nothing when the signal has already aborted', async () => {
    const replay = await serve([fixture('text')]);
    const provider = await providerFor(replay.url);
    const error = await rejection(
      provider.doGenerate(provider.buildRequest(modelRequest()), { signal: AbortSignal.abort() }),
    );
    expect((error as LlmprocError).code).toBe('ABORTED');
    expect(replay.received).toHaveLength(0);
  });

  it('rejects with a connection error without status when nothing listens', async () => {
    const replay = await serve([]);
    const url = replay.url;
    await replay.close();
    server = undefined;
    const provider = await providerFor(url, { LLMPROC_RETRY_MAX_ATTEMPTS: '1' });
    const error = await rejection(provider.doGenerate(provider.buildRequest(modelRequest()), {}));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/^anthropic API connection error: /);
    expect((error as ProviderError).status).toBeUndefined();
  });
});

describe('AnthropicProvider.countTokens', () => {
  it('counts through /v1/messages/count_tokens and reports the share of the context window', async () => {
    const recorded = recordedBody('count-tokens');
    const text = (recorded.messages[0]?.content as { text: string }[])[0]?.text ?? '';
    const replay = await serve([fixture('count-tokens')]);
    const provider = await providerFor(replay.url);
    const counted = await provider.countTokens(
      modelRequest({
        systemPrompt: recorded.system ?? '',
        messages: [{ role: 'user', content: text }],
        promptCaching: true,
      }),
      {},
    );
    expect(replay.received[0]?.url).toBe('/v1/messages/count_tokens');
    expect(receivedBody(replay, 0)).toEqual({
      model: 'claude-haiku-4-5',
      system: recorded.system,
      messages: recorded.messages,
    });
    expect(counted).toEqual({
      inputTokens: 1114,
      contextWindow: 200_000,
      percentage: 0.557,
      remainingTokens: 198_886,
    });
  });

  it('returns null when the count endpoint answers 404', async () => {
    const replay = await serve([fixture('count-tokens-error-404')]);
    const provider = await providerFor(replay.url);
    expect(
      await provider.countTokens(modelRequest({ model: 'claude-does-not-exist' }), {}),
    ).toBeNull();
    expect(replay.received).toHaveLength(1);
  });

  it('rejects with a ProviderError when counting fails otherwise', async () => {
    const replay = await serve([onPath('error-401-authentication', '/v1/messages/count_tokens')]);
    const provider = await providerFor(replay.url);
    const error = await rejection(provider.countTokens(modelRequest(), {}));
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).status).toBe(401);
  });
});

describe('createProvider', () => {
  it('fails with MISSING_CREDENTIALS naming ANTHROPIC_API_KEY when the key is missing or blank', async () => {
    for (const env of [{}, { ANTHROPIC_API_KEY: '  ' }]) {
      const error = await rejection(
        createProvider({ provider: 'anthropic', model: 'claude-sonnet-4-5', env }),
      );
      expect(error).toBeInstanceOf(LlmprocError);
      expect((error as LlmprocError).code).toBe('MISSING_CREDENTIALS');
      expect((error as LlmprocError).message).toBe(
        'Anthropic API key must be provided via the ANTHROPIC_API_KEY environment variable (provider "anthropic")',
      );
    }
  });

  it('is what the provider registry creates for provider "anthropic"', async () => {
    const { createProvider: createFromRegistry } = await import('../registry.js');
    const error = await rejection(
      createFromRegistry({ provider: 'anthropic', model: 'm', env: {} }),
    );
    expect((error as LlmprocError).code).toBe('MISSING_CREDENTIALS');
    const provider = await createFromRegistry({
      provider: 'anthropic',
      model: 'm',
      env: { ANTHROPIC_API_KEY: 'k' },
    });
    expect(provider.name).toBe('anthropic');
  });

  it('rejects a LLMPROC_RETRY_MAX_ATTEMPTS that is not a positive whole number', async () => {
    const error = await rejection(
      providerFor('http://127.0.0.1:9', { LLMPROC_RETRY_MAX_ATTEMPTS: 'many' }),
    );
    expect((error as LlmprocError).code).toBe('INVALID_OPTION');
    expect((error as LlmprocError).message).toContain('LLMPROC_RETRY_MAX_ATTEMPTS');
  });
});
