/**
 * The OpenAI adapter over real HTTP: the `openai` SDK talks to a local replay server serving the
 * recorded exchanges in src/providers/openai/__fixtures__/ (chat, responses) (nothing inside the
 * SDK is mocked).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LlmprocError, ProviderError } from '../../errors.js';
import type { Message } from '../../conversation/messages.js';
import { createProvider as createFromRegistry } from '../registry.js';
import {
  loadFixture,
  startReplayServer,
  type Fixture,
  type ReplayServer,
} from '../../../test/support/replay-server.js';
import type { ModelRequest, Provider, ProviderSettings, ToolSpec } from '../types.js';
import { createProvider } from './provider.js';
import { buildResponsesRequest } from './responses/request.js';

/** A copy of `record` without `key` (recorded requests carry fields the adapter does not send). */
function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

const apiKey = 'sk-test-0123456789';
const env = { OPENAI_API_KEY: apiKey };

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(fixtures: Fixture[], frameDelayMs = 0): Promise<ReplayServer> {
  server = await startReplayServer(fixtures, { frameDelayMs });
  return server;
}

/** The fixture with `retry-after-ms: 1`, so the SDK's retry waits a millisecond, not seconds. */
function fastRetry(name: string): Fixture {
  const original = loadFixture('openai-chat', name);
  return {
    ...original,
    response: {
      ...original.response,
      headers: { ...original.response.headers, 'retry-after-ms': '1' },
    },
  };
}

async function provider(
  url: string,
  settingsEnv: ProviderSettings['env'] = env,
  model = 'gpt-4o',
): Promise<Provider> {
  return createProvider({ provider: 'openai', model, env: settingsEnv, baseUrl: url });
}

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-4o',
    systemPrompt: '',
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
    tools: [],
    parameters: {},
    promptCaching: true,
    stream: false,
    ...overrides,
  };
}

function body(received: ReplayServer['received'], index: number): Record<string, unknown> {
  return received[index]?.body as Record<string, unknown>;
}

const weatherTool: ToolSpec = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const capitalTool: ToolSpec = {
  name: 'get_capital',
  description: '',
  inputSchema: {
    type: 'object',
    properties: { country: { type: 'string' } },
    required: ['country'],
  },
};

describe('OpenAI provider: Chat Completions', () => {
  it('sends a plain request and returns the reply with the SDK object as raw', async () => {
    const replay = await serve([loadFixture('openai-chat', 'text')]);
    const openai = await provider(replay.url);
    const payload = openai.buildRequest(request({ systemPrompt: 'You are a helpful assistant.' }));
    const result = await openai.doGenerate(payload, {});

    expect(replay.received[0]?.url).toBe('/v1/chat/completions');
    expect(body(replay.received, 0)).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });
    expect(result.response.content).toEqual([
      { type: 'text', text: 'The capital of France is Paris.' },
    ]);
    expect(result.response.stopReason).toBe('end_turn');
    expect((result.raw as { id: string }).id).toBe('chatcmpl-BJjf61mLb9z5H45ClJzbx0UWKwjo1');
  });

  it('runs the two-step tool loop, answering the call by its id in a tool message', async () => {
    const replay = await serve([
      loadFixture('openai-chat', 'tool-loop.1'),
      loadFixture('openai-chat', 'tool-loop.2'),
    ]);
    const openai = await provider(replay.url, env, 'gpt-5-mini');
    const messages: Message[] = [{ role: 'user', content: "What's the weather in Paris?" }];
    const first = await openai.doGenerate(
      openai.buildRequest(request({ model: 'gpt-5-mini', messages, tools: [weatherTool] })),
      {},
    );
    expect(first.response.stopReason).toBe('tool_use');
    const call = first.response.content[0];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    messages.push({ role: 'assistant', content: first.response.content });
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
    const second = await openai.doGenerate(
      openai.buildRequest(request({ model: 'gpt-5-mini', messages, tools: [weatherTool] })),
      {},
    );

    const recorded = loadFixture('openai-chat', 'tool-loop.2').request.body as Record<
      string,
      unknown
    >;
    expect(body(replay.received, 1)['messages']).toEqual(recorded['messages']);
    expect(second.response.stopReason).toBe('end_turn');
    expect(second.response.usage.reasoningTokens).toBe(128);
    expect(second.response.content[0]).toMatchObject({ type: 'text' });
  });

  it('streams text to onTextDelta as it arrives and returns the assembled completion', async () => {
    const replay = await serve([loadFixture('openai-chat', 'stream-tool-loop.2')], 2);
    const openai = await provider(replay.url, env, 'gpt-4o-mini');
    const deltas: string[] = [];
    const result = await openai.doGenerate(
      openai.buildRequest(request({ model: 'gpt-4o-mini', stream: true })),
      { onTextDelta: (delta) => deltas.push(delta) },
    );

    expect(body(replay.received, 0)).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(deltas).toEqual(['The', ' capital', ' of', ' the', ' UK', ' is', ' London', '.']);
    expect(deltas.join('')).toBe('The capital of the UK is London.');
    expect(result.response.content).toEqual([
      { type: 'text', text: 'The capital of the UK is London.' },
    ]);
    expect(result.response.usage).toMatchObject({ inputTokens: 78, outputTokens: 9 });
    expect((result.raw as { object: string }).object).toBe('chat.completion');
  });

  it('assembles streamed tool-call argument fragments without sending them as text', async () => {
    const replay = await serve([loadFixture('openai-chat', 'stream-tool-loop.1')]);
    const openai = await provider(replay.url, env, 'gpt-4o-mini');
    const deltas: string[] = [];
    const result = await openai.doGenerate(
      openai.buildRequest(request({ model: 'gpt-4o-mini', tools: [capitalTool], stream: true })),
      { onTextDelta: (delta) => deltas.push(delta) },
    );

    expect(replay.remaining()).toBe(0);
    expect(deltas).toEqual([]);
    expect(result.response.content).toEqual([
      {
        type: 'tool_use',
        id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
        name: 'get_capital',
        input: { country: 'UK' },
      },
    ]);
    expect(result.response.stopReason).toBe('tool_use');
    expect(result.response.usage).toMatchObject({ inputTokens: 53, outputTokens: 15 });
  });

  it('reports cached prompt tokens as cache reads', async () => {
    const replay = await serve([loadFixture('openai-chat', 'prompt-cache.2')]);
    const openai = await provider(replay.url);
    const result = await openai.doGenerate(openai.buildRequest(request()), {});
    expect(result.response.usage).toEqual({
      inputTokens: 8,
      outputTokens: 4,
      cacheReadTokens: 4012,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('sends extra_headers as HTTP headers and leaves them and the API key out of the body', async () => {
    const replay = await serve([loadFixture('openai-chat', 'text')]);
    const openai = await provider(replay.url);
    const payload = openai.buildRequest(
      request({ parameters: { extra_headers: { 'X-Llmproc-Test': 'yes' }, temperature: 0 } }),
    );
    expect(JSON.stringify(payload)).not.toContain(apiKey);
    await openai.doGenerate(payload, {});

    const received = replay.received[0];
    expect(received?.headers['x-llmproc-test']).toBe('yes');
    expect(received?.headers['authorization']).toBe(`Bearer ${apiKey}`);
    expect(body(replay.received, 0)['temperature']).toBe(0);
    expect('extra_headers' in body(replay.received, 0)).toBe(false);
  });

  it('sends max_tokens as max_completion_tokens for a reasoning model (B76)', async () => {
    const replay = await serve([loadFixture('openai-chat', 'reasoning-tokens')]);
    const openai = await provider(replay.url, env, 'o3-mini');
    const result = await openai.doGenerate(
      openai.buildRequest(request({ model: 'o3-mini', parameters: { max_tokens: 1000 } })),
      {},
    );
    expect(body(replay.received, 0)).toMatchObject({
      model: 'o3-mini',
      max_completion_tokens: 1000,
    });
    expect('max_tokens' in body(replay.received, 0)).toBe(false);
    expect(result.response.usage.reasoningTokens).toBe(192);
  });

  it('has no token count for Chat Completions and asks the API nothing', async () => {
    const replay = await serve([]);
    const openai = await provider(replay.url);
    await expect(openai.countTokens(request(), {})).resolves.toBeNull();
    expect(replay.received).toHaveLength(0);
  });
});

describe('OpenAI provider: Responses API', () => {
  const reasoning = { reasoning_effort: 'low' };

  it('chooses the Responses API for a reasoning model with reasoning_effort, streaming its tool call', async () => {
    const replay = await serve([loadFixture('openai-responses', 'stream-reasoning-function-call')]);
    const openai = await provider(replay.url, env, 'gpt-5');
    const deltas: string[] = [];
    const payload = openai.buildRequest(
      request({
        model: 'gpt-5',
        messages: [{ role: 'user', content: 'Calculate 100 * 200 / 3' }],
        tools: [
          {
            name: 'final_result',
            description: 'The final response which ends this conversation',
            inputSchema: { type: 'object', properties: { result: { type: 'integer' } } },
          },
        ],
        parameters: reasoning,
        stream: true,
      }),
    );
    const result = await openai.doGenerate(payload, { onTextDelta: (d) => deltas.push(d) });

    expect(replay.received[0]?.url).toBe('/v1/responses');
    expect(body(replay.received, 0)).toMatchObject({
      model: 'gpt-5',
      input: [{ role: 'user', content: 'Calculate 100 * 200 / 3' }],
      reasoning: { effort: 'low' },
      include: ['reasoning.encrypted_content'],
      store: false,
      stream: true,
    });
    expect(deltas).toEqual([]);
    expect(result.response.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(result.response.content[1]).toEqual({
      type: 'tool_use',
      id: 'call_CWXgs68YprAjp6t0371hiPOI',
      name: 'final_result',
      input: { result: 6666 },
    });
    expect(result.response.stopReason).toBe('tool_use');
    expect(result.response.usage).toEqual({
      inputTokens: 53,
      outputTokens: 469,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 448,
    });
    expect((result.raw as { object: string }).object).toBe('response');
  });

  it('runs the two-step tool loop with function_call_output keyed by call_id', async () => {
    const replay = await serve([
      loadFixture('openai-responses', 'tool-loop.1'),
      loadFixture('openai-responses', 'tool-loop.2'),
    ]);
    const openai = await provider(replay.url);
    const messages: Message[] = [{ role: 'user', content: 'What is the capital of PotatoLand?' }];
    // buildResponsesRequest directly: the recordings were made with gpt-4o, which the automatic
    // rule would send to Chat Completions; doGenerate picks the API from the payload's shape.
    const first = await openai.doGenerate(
      buildResponsesRequest(request({ messages, tools: [capitalTool] })),
      {},
    );
    const call = first.response.content[0];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    messages.push({ role: 'assistant', content: first.response.content });
    messages.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: call.id, content: 'Potato City', is_error: false },
      ],
    });
    const second = await openai.doGenerate(
      buildResponsesRequest(request({ messages, tools: [capitalTool] })),
      {},
    );

    const recordedInput = (
      loadFixture('openai-responses', 'tool-loop.2').request.body as {
        input: Record<string, unknown>[];
      }
    ).input.map((item) => without(item, 'status'));
    expect(body(replay.received, 1)['input']).toEqual(recordedInput);
    expect(second.response.content).toEqual([
      { type: 'text', text: 'The capital of PotatoLand is Potato City.' },
    ]);
    expect(second.response.stopReason).toBe('end_turn');
  });

  it('streams text deltas of a Responses stream and answers the earlier call by its call_id', async () => {
    const replay = await serve(
      [
        loadFixture('openai-responses', 'stream-tool-loop.1'),
        loadFixture('openai-responses', 'stream-tool-loop.2'),
      ],
      2,
    );
    const openai = await provider(replay.url);
    const messages: Message[] = [{ role: 'user', content: 'What is the capital of France?' }];
    const first = await openai.doGenerate(
      buildResponsesRequest(request({ messages, tools: [capitalTool], stream: true })),
      {},
    );
    const call = first.response.content[0];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    expect(call.input).toEqual({ country: 'France' });
    messages.push({ role: 'assistant', content: first.response.content });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Paris', is_error: false }],
    });
    const deltas: string[] = [];
    const second = await openai.doGenerate(
      buildResponsesRequest(request({ messages, tools: [capitalTool], stream: true })),
      { onTextDelta: (delta) => deltas.push(delta) },
    );

    // The 2025 recording sent the item id (fc_...) as call_id; the call_id itself is what belongs there.
    expect(body(replay.received, 1)['input']).toEqual([
      { role: 'user', content: 'What is the capital of France?' },
      {
        type: 'function_call',
        call_id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL',
        name: 'get_capital',
        arguments: '{"country":"France"}',
      },
      { type: 'function_call_output', call_id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL', output: 'Paris' },
    ]);
    expect(deltas).toEqual(['The', ' capital', ' of', ' France', ' is', ' Paris', '.']);
    expect(second.response.content).toEqual([
      { type: 'text', text: 'The capital of France is Paris.' },
    ]);
  });

  it('rejects on an error event inside the stream, naming the API message and code', async () => {
    const replay = await serve([
      loadFixture('openai-responses', 'stream-error-insufficient-quota'),
    ]);
    const openai = await provider(replay.url, env, 'gpt-5-nano');
    const failure = openai.doGenerate(
      openai.buildRequest(request({ model: 'gpt-5-nano', parameters: reasoning, stream: true })),
      {},
    );
    await expect(failure).rejects.toThrow(ProviderError);
    await expect(failure).rejects.toThrow(
      /^openai API error \(insufficient_quota\): You exceeded your current quota/,
    );
    await expect(failure).rejects.toMatchObject({ provider: 'openai', status: undefined });
    expect(replay.received).toHaveLength(1);
  });

  it('rejects a 400 at once with the status and the API message', async () => {
    const replay = await serve([loadFixture('openai-responses', 'error-400-invalid-request')]);
    const openai = await provider(replay.url);
    const failure = openai.doGenerate(
      buildResponsesRequest(request({ parameters: { temperature: -1 } })),
      {},
    );
    await expect(failure).rejects.toMatchObject({
      provider: 'openai',
      status: 400,
      message:
        "openai API error 400 (decimal_below_min_value): Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -1 instead. [parameter: temperature]",
    });
    expect(replay.received).toHaveLength(1);
  });

  it('counts input tokens through /v1/responses/input_tokens', async () => {
    const replay = await serve([loadFixture('openai-responses', 'input-tokens')]);
    const openai = await provider(replay.url, env, 'gpt-5');
    const count = await openai.countTokens(
      request({
        model: 'gpt-5',
        systemPrompt: 'Follow the system instructions.',
        parameters: { ...reasoning, max_tokens: 100 },
      }),
      {},
    );
    expect(replay.received[0]?.url).toBe('/v1/responses/input_tokens');
    expect(body(replay.received, 0)).toEqual({
      model: 'gpt-5',
      instructions: 'Follow the system instructions.',
      input: [{ role: 'user', content: 'What is the capital of France?' }],
      reasoning: { effort: 'low' },
    });
    expect(count).toEqual({
      inputTokens: 16,
      contextWindow: 400_000,
      percentage: (16 / 400_000) * 100,
      remainingTokens: 399_984,
    });
  });
});

describe('OpenAI provider: failures and retries', () => {
  it('retries a 429 rate limit and returns the later success', async () => {
    const replay = await serve([
      fastRetry('error-429-rate-limit'),
      loadFixture('openai-chat', 'text'),
    ]);
    const openai = await provider(replay.url);
    const result = await openai.doGenerate(openai.buildRequest(request()), {});
    expect(replay.received).toHaveLength(2);
    expect(result.response.content).toEqual([
      { type: 'text', text: 'The capital of France is Paris.' },
    ]);
  });

  it('retries a 5xx and returns the later success', async () => {
    const serverError: Fixture = {
      request: { method: 'POST', path: '/v1/chat/completions' },
      response: {
        status: 500,
        headers: { 'content-type': 'application/json', 'retry-after-ms': '1' },
        body: { error: { message: 'The server had an error.', type: 'server_error', code: null } },
      },
    };
    const replay = await serve([serverError, loadFixture('openai-chat', 'text')]);
    const openai = await provider(replay.url);
    const result = await openai.doGenerate(openai.buildRequest(request()), {});
    expect(replay.received).toHaveLength(2);
    expect(result.response.stopReason).toBe('end_turn');
  });

  it('makes LLMPROC_RETRY_MAX_ATTEMPTS attempts in all, then rejects with the last 429', async () => {
    const replay = await serve([
      fastRetry('error-429-rate-limit'),
      fastRetry('error-429-rate-limit'),
      fastRetry('error-429-rate-limit'),
      loadFixture('openai-chat', 'text'),
    ]);
    const openai = await provider(replay.url, { ...env, LLMPROC_RETRY_MAX_ATTEMPTS: '3' });
    const failure = openai.doGenerate(openai.buildRequest(request()), {});
    await expect(failure).rejects.toThrow(ProviderError);
    await expect(failure).rejects.toMatchObject({ provider: 'openai', status: 429 });
    await expect(failure).rejects.toThrow(
      /^openai API error 429 \(rate_limit_exceeded\): Rate limit reached/,
    );
    expect(replay.received).toHaveLength(3);
  });

  it('makes six attempts in all by default', async () => {
    const replay = await serve(Array.from({ length: 6 }, () => fastRetry('error-429-rate-limit')));
    const openai = await provider(replay.url);
    await expect(openai.doGenerate(openai.buildRequest(request()), {})).rejects.toMatchObject({
      status: 429,
    });
    expect(replay.received).toHaveLength(6);
    expect(replay.remaining()).toBe(0);
  });

  it('does not retry a 429 insufficient_quota, which no retry can fix', async () => {
    const replay = await serve([
      fastRetry('error-429-insufficient-quota'),
      loadFixture('openai-chat', 'text'),
    ]);
    const openai = await provider(replay.url);
    const failure = openai.doGenerate(openai.buildRequest(request()), {});
    await expect(failure).rejects.toMatchObject({
      provider: 'openai',
      status: 429,
      message: expect.stringMatching(
        /^openai API error 429 \(insufficient_quota\): You exceeded your current quota/,
      ) as unknown,
    });
    expect(replay.received).toHaveLength(1);
  });

  it('rejects a 401 at once, after exactly one request, without echoing our key', async () => {
    const replay = await serve([
      loadFixture('openai-chat', 'error-401-invalid-api-key'),
      loadFixture('openai-chat', 'text'),
    ]);
    const openai = await provider(replay.url);
    const failure = openai.doGenerate(openai.buildRequest(request()), {});
    await expect(failure).rejects.toMatchObject({
      provider: 'openai',
      status: 401,
      code: 'PROVIDER_ERROR',
      message: expect.stringMatching(
        /^openai API error 401 \(invalid_api_key\): Incorrect API key provided/,
      ) as unknown,
    });
    await expect(failure).rejects.not.toThrow(apiKey);
    expect(replay.received).toHaveLength(1);
  });

  it('rejects a 400 at once', async () => {
    const replay = await serve([
      loadFixture('openai-chat', 'error-400-invalid-request'),
      loadFixture('openai-chat', 'text'),
    ]);
    const openai = await provider(replay.url, env, 'o1-mini');
    await expect(
      openai.doGenerate(openai.buildRequest(request({ model: 'o1-mini' })), {}),
    ).rejects.toMatchObject({
      status: 400,
      message:
        "openai API error 400 (unsupported_value): Unsupported value: 'messages[0].role' does not support 'developer' with this model. [parameter: messages[0].role]",
    });
    expect(replay.received).toHaveLength(1);
  });

  it('rejects a 404 for an unknown model at once', async () => {
    const replay = await serve([
      loadFixture('openai-chat', 'error-404-model-not-found'),
      loadFixture('openai-chat', 'text'),
    ]);
    const openai = await provider(replay.url, env, 'gpt-5.2-proo');
    await expect(
      openai.doGenerate(openai.buildRequest(request({ model: 'gpt-5.2-proo' })), {}),
    ).rejects.toMatchObject({
      status: 404,
      message:
        'openai API error 404 (model_not_found): The model `gpt-5.2-proo` does not exist or you do not have access to it.',
    });
    expect(replay.received).toHaveLength(1);
  });

  it('rejects with ABORTED when the signal fires during a stream', async () => {
    const replay = await serve([loadFixture('openai-chat', 'stream-tool-loop.2')], 50);
    const openai = await provider(replay.url);
    const controller = new AbortController();
    const deltas: string[] = [];
    const failure = openai.doGenerate(openai.buildRequest(request({ stream: true })), {
      signal: controller.signal,
      onTextDelta: (delta) => {
        deltas.push(delta);
        controller.abort();
      },
    });
    await expect(failure).rejects.toThrow(LlmprocError);
    await expect(failure).rejects.toMatchObject({ code: 'ABORTED' });
    expect(deltas).toEqual(['The']);
  });

  it('fails a connection to a closed port with a ProviderError and no status', async () => {
    const replay = await serve([]);
    const url = replay.url;
    await replay.close();
    server = undefined;
    const openai = await provider(url, { ...env, LLMPROC_RETRY_MAX_ATTEMPTS: '1' });
    await expect(openai.doGenerate(openai.buildRequest(request()), {})).rejects.toMatchObject({
      provider: 'openai',
      status: undefined,
      message: expect.stringMatching(/^openai API connection error/) as unknown,
    });
  });
});

describe('OpenAI provider: credentials', () => {
  it('fails at creation with MISSING_CREDENTIALS naming OPENAI_API_KEY', async () => {
    const creation = createProvider({ provider: 'openai', model: 'gpt-4o', env: {} });
    await expect(creation).rejects.toThrow(LlmprocError);
    await expect(creation).rejects.toMatchObject({
      code: 'MISSING_CREDENTIALS',
      message: 'OpenAI API key must be provided via OPENAI_API_KEY environment variable',
    });
  });

  it('treats an empty OPENAI_API_KEY as missing, also through the registry', async () => {
    await expect(
      createFromRegistry({ provider: 'openai', model: 'gpt-4o', env: { OPENAI_API_KEY: '' } }),
    ).rejects.toMatchObject({ code: 'MISSING_CREDENTIALS' });
  });

  it('reads the key from settings.env only', async () => {
    const replay = await serve([loadFixture('openai-chat', 'text')]);
    const openai = await provider(replay.url, { OPENAI_API_KEY: 'sk-from-settings' });
    await openai.doGenerate(openai.buildRequest(request()), {});
    expect(replay.received[0]?.headers['authorization']).toBe('Bearer sk-from-settings');
  });
});
