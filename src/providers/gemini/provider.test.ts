/**
 * The Gemini adapter over real HTTP: `@google/genai` talks to a local replay server serving the
 * recorded exchanges in __fixtures__/ (nothing inside the SDK is mocked).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LlmprocError, ProviderError } from '../../errors.js';
import { messageText, type AssistantBlock, type Message } from '../../conversation/messages.js';
import {
  loadFixture,
  startReplayServer,
  type Fixture,
  type ReplayServer,
} from '../../../test/support/replay-server.js';
import type { ModelRequest, ProviderSettings, ToolSpec } from '../types.js';
import { createProvider, type GeminiProvider } from './provider.js';

/** Retry waits of about a millisecond, so retry tests stay fast (the SDK ignores retry-after). */
const fastRetryEnv = { GEMINI_API_KEY: 'test-key', LLMPROC_RETRY_INITIAL_WAIT: '0.001' };

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(fixtures: Fixture[], frameDelayMs = 0): Promise<ReplayServer> {
  server = await startReplayServer(fixtures, { frameDelayMs });
  return server;
}

async function provider(
  url: string,
  env: ProviderSettings['env'] = fastRetryEnv,
  model = 'gemini-2.5-flash',
): Promise<GeminiProvider> {
  return createProvider({ provider: 'gemini', model, env, baseUrl: url });
}

function request(overrides: Partial<ModelRequest>): ModelRequest {
  return {
    model: 'gemini-2.5-flash',
    systemPrompt: '',
    messages: [],
    tools: [],
    parameters: {},
    promptCaching: true,
    stream: false,
    ...overrides,
  };
}

/** The Python SDK recorded some keys in snake_case (`parameters_json_schema`); the API takes both. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      camelKeys(inner),
    ]),
  );
}

/** The parts of the first candidate of a fixture's JSON response. */
function firstParts(fixture: Fixture): Record<string, unknown>[] {
  const body = fixture.response.body as { candidates?: { content?: { parts?: unknown[] } }[] };
  return (body.candidates?.[0]?.content?.parts ?? []) as Record<string, unknown>[];
}

function withStatus(fixture: Fixture, status: number, message: string, apiStatus: string): Fixture {
  return {
    ...fixture,
    response: {
      status,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: { error: { code: status, message, status: apiStatus } },
    },
  };
}

const weatherTool: ToolSpec = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  inputSchema: {
    additionalProperties: false,
    properties: { city: { type: 'string' } },
    required: ['city'],
    type: 'object',
  },
};
const toolParameters = {
  response_modalities: ['TEXT'],
  tool_config: { functionCallingConfig: { mode: 'AUTO' } },
};

describe('gemini provider over the replay server', () => {
  it('sends a plain text request exactly as recorded and maps text, usage and stop reason', async () => {
    const fixture = loadFixture('gemini', 'text');
    const replay = await serve([fixture]);
    const gemini = await provider(replay.url);
    const payload = gemini.buildRequest(
      request({
        systemPrompt: 'You are a chatbot.',
        messages: [{ role: 'user', content: 'Hello!' }],
        parameters: { response_modalities: ['TEXT'] },
      }),
    );
    expect(payload).toEqual({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Hello!' }] }],
      config: { responseModalities: ['TEXT'], systemInstruction: 'You are a chatbot.' },
    });

    const { raw, response } = await gemini.doGenerate(payload, {});

    expect(replay.received).toHaveLength(1);
    expect(replay.received[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(replay.received[0]?.body).toEqual(camelKeys(fixture.request.body));
    expect(replay.received[0]?.headers['x-goog-api-key']).toBe('test-key');
    expect(JSON.stringify(payload)).not.toContain('test-key');
    expect(response).toEqual({
      id: 'bzlXaa_EE_aHqtsPi_zw8Ao',
      model: 'gemini-2.5-flash',
      content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
      stopReason: 'end_turn',
      // prompt 9; candidates 9 + thoughts 34 = 43 output (input + output = totalTokenCount 52)
      usage: {
        inputTokens: 9,
        outputTokens: 43,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 34,
      },
    });
    expect((raw as { text?: string }).text).toBe('Hello! How can I help you today?');
  });

  it('runs the two-step tool loop, answering the function call by name and id with its signature', async () => {
    const step1 = loadFixture('gemini', 'tool-loop.1');
    const step2 = loadFixture('gemini', 'tool-loop.2');
    const replay = await serve([step1, step2]);
    const gemini = await provider(replay.url);
    const user: Message = { role: 'user', content: "What's the weather in Paris?" };

    const first = await gemini.doGenerate(
      gemini.buildRequest(
        request({ messages: [user], tools: [weatherTool], parameters: toolParameters }),
      ),
      {},
    );
    expect(replay.received[0]?.body).toEqual(camelKeys(step1.request.body));
    const signature =
      'CusBAXLI2nxjqlNFmkZhFvBKYO2Qbvj3E+G7N6BmlLYeobi9hrXb2MqtS/9TkFYVru/pjEa0jD3zRZrqHuyr/OCYx7S1b4Ukwh3oq6L9AZ09WbcKvaHyZNyTmcJy23JbOYYX3naiWgfUo2l/CW26R1YL7brQc9tgTYqpzljWs/8vBp1aGjzXFtnZjSuDRnyUYnuzCgXDXr9rLnsnGljyhIKP5nElSp1QOr7f3elhfu62IlZvmEuthWANstRn8S7GTqW2Vm7tEQC1QOWIIOhYZgDRtLuagAYlouqi3qgstFV73ZgxWdDs/9ptuRUOag==';
    const callId = 'gemini-call-78F7aafeKcDVz7IPh4DK-AM-0';
    expect(first.response.content).toEqual([
      { type: 'thinking', thinking: '', signature },
      { type: 'tool_use', id: callId, name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(first.response.stopReason).toBe('tool_use');
    expect(first.response.usage).toEqual({
      inputTokens: 49,
      outputTokens: 63,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 48,
    });

    // The loop stores the reply as plain JSON and answers with one user message of tool results.
    const state: Message[] = JSON.parse(
      JSON.stringify([
        user,
        { role: 'assistant', content: first.response.content },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: callId,
              content: 'Sunny, 22C in Paris',
              is_error: false,
            },
          ],
        },
      ]),
    ) as Message[];
    const second = await gemini.doGenerate(
      gemini.buildRequest(
        request({ messages: state, tools: [weatherTool], parameters: toolParameters }),
      ),
      {},
    );

    const sent = replay.received[1]?.body as {
      contents: unknown[];
      tools: unknown;
      toolConfig: unknown;
    };
    const recorded = camelKeys(step2.request.body) as typeof sent;
    expect(sent.tools).toEqual(recorded.tools);
    expect(sent.toolConfig).toEqual(recorded.toolConfig);
    expect(sent.contents).toEqual([
      { role: 'user', parts: [{ text: "What's the weather in Paris?" }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { id: callId, name: 'get_weather', args: { city: 'Paris' } },
            thoughtSignature: signature,
          },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              id: callId,
              name: 'get_weather',
              response: { output: 'Sunny, 22C in Paris' },
            },
          },
        ],
      },
    ]);
    // Same roles and part kinds as the recorded follow-up (which used pydantic-ai's own ids).
    const shape = (contents: unknown[]): unknown =>
      (contents as { role: string; parts: Record<string, unknown>[] }[]).map((c) => [
        c.role,
        c.parts.map((p) => Object.keys(p).sort()),
      ]);
    expect(shape(sent.contents)).toEqual(shape(recorded.contents));

    expect(second.response.content).toEqual([
      { type: 'text', text: 'The weather in Paris is sunny with a temperature of 22C.' },
    ]);
    expect(second.response.stopReason).toBe('end_turn');
    expect(replay.remaining()).toBe(0);
  });

  it('answers parallel function calls in one user turn, each with its own name and id', async () => {
    const step1 = loadFixture('gemini', 'tool-loop.1');
    const parallel: Fixture = {
      ...step1,
      response: {
        ...step1.response,
        body: {
          ...(step1.response.body as Record<string, unknown>),
          candidates: [
            {
              content: {
                role: 'model',
                parts: [
                  {
                    functionCall: { name: 'get_weather', args: { city: 'Paris' } },
                    thoughtSignature: 'c2ln',
                  },
                  { functionCall: { name: 'get_time', args: { city: 'Tokyo' } } },
                ],
              },
              finishReason: 'STOP',
            },
          ],
        },
      },
    };
    const replay = await serve([parallel, loadFixture('gemini', 'tool-loop.2')]);
    const gemini = await provider(replay.url);
    const user: Message = { role: 'user', content: 'Weather in Paris and time in Tokyo?' };
    const first = await gemini.doGenerate(gemini.buildRequest(request({ messages: [user] })), {});
    const calls = first.response.content.filter((b) => b.type === 'tool_use');
    expect(calls.map((c) => [c.id, c.name])).toEqual([
      ['gemini-call-78F7aafeKcDVz7IPh4DK-AM-0', 'get_weather'],
      ['gemini-call-78F7aafeKcDVz7IPh4DK-AM-1', 'get_time'],
    ]);

    await gemini.doGenerate(
      gemini.buildRequest(
        request({
          messages: [
            user,
            { role: 'assistant', content: first.response.content },
            {
              role: 'user',
              content: calls.map((c, i) => ({
                type: 'tool_result' as const,
                tool_use_id: c.id,
                content: i === 0 ? 'Sunny' : 'Tool failed',
                is_error: i === 1,
              })),
            },
          ],
        }),
      ),
      {},
    );
    const contents = (replay.received[1]?.body as { contents: unknown[] }).contents;
    expect(contents.at(-1)).toEqual({
      role: 'user',
      parts: [
        {
          functionResponse: {
            id: 'gemini-call-78F7aafeKcDVz7IPh4DK-AM-0',
            name: 'get_weather',
            response: { output: 'Sunny' },
          },
        },
        {
          functionResponse: {
            id: 'gemini-call-78F7aafeKcDVz7IPh4DK-AM-1',
            name: 'get_time',
            response: { error: 'Tool failed' },
          },
        },
      ],
    });
  });

  it('streams text deltas as they arrive and returns the assembled response', async () => {
    const fixture = loadFixture('gemini', 'text-stream');
    const replay = await serve([fixture], 20);
    const gemini = await provider(replay.url, fastRetryEnv, 'gemini-2.0-flash-exp');
    const payload = gemini.buildRequest(
      request({
        model: 'gemini-2.0-flash-exp',
        systemPrompt: 'You are a helpful chatbot.',
        messages: [{ role: 'user', content: 'What is the capital of France?' }],
        parameters: { temperature: 0 },
        stream: true,
      }),
    );
    expect(payload.stream).toBe(true);
    const deltas: string[] = [];
    let settled = false;
    let deltasBeforeSettled = 0;
    const pending = gemini.doGenerate(payload, {
      onTextDelta: (delta) => {
        deltas.push(delta);
        if (!settled) deltasBeforeSettled += 1;
      },
    });
    const { raw, response } = await pending.finally(() => {
      settled = true;
    });

    expect(replay.received[0]?.url).toBe(
      '/v1beta/models/gemini-2.0-flash-exp:streamGenerateContent?alt=sse',
    );
    expect(replay.received[0]?.body).toEqual(camelKeys(fixture.request.body));
    expect(deltas).toEqual(['The', ' capital of France', ' is Paris.\n']);
    expect(deltasBeforeSettled).toBe(3);
    expect(response.content).toEqual([{ type: 'text', text: deltas.join('') }]);
    expect(response.stopReason).toBe('end_turn');
    expect(response.id).toBe('w1peaMz6INOvnvgPgYfPiQY');
    expect(response.usage).toEqual({
      inputTokens: 13,
      outputTokens: 8,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    expect((raw as { text?: string }).text).toBe('The capital of France is Paris.\n');
    expect((raw as { candidates: unknown[] }).candidates).toEqual([
      {
        finishReason: 'STOP',
        content: { role: 'model', parts: [{ text: 'The capital of France is Paris.\n' }] },
      },
    ]);
  });

  it('joins streamed text split mid-word after a thought signature with nothing in between', async () => {
    // A thinking model's stream: the first chunk's text carries the signature, and the chunk
    // breaks mid-word. Built from text-stream's frames (no recorded Gemini stream has a signature).
    const recorded = loadFixture('gemini', 'text-stream');
    const frame = (parts: Record<string, unknown>[], finished = false): { data: unknown } => ({
      data: {
        candidates: [
          { content: { role: 'model', parts }, ...(finished ? { finishReason: 'STOP' } : {}) },
        ],
        responseId: 'join-1',
        modelVersion: 'gemini-2.5-flash',
      },
    });
    const fixture: Fixture = {
      ...recorded,
      request: {
        ...recorded.request,
        path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      },
      response: {
        ...recorded.response,
        sse: [
          frame([{ text: "Here's a step-by-", thoughtSignature: 'c2lnbmF0dXJl' }]),
          frame([{ text: 'step guide. Hel' }]),
          frame([{ text: 'lo!' }], true),
        ],
      },
    };
    const replay = await serve([fixture]);
    const gemini = await provider(replay.url);
    const deltas: string[] = [];
    const { raw, response } = await gemini.doGenerate(
      gemini.buildRequest(
        request({ messages: [{ role: 'user', content: 'Guide me' }], stream: true }),
      ),
      { onTextDelta: (delta) => deltas.push(delta) },
    );

    expect(deltas).toEqual(["Here's a step-by-", 'step guide. Hel', 'lo!']);
    expect(response.content).toEqual([
      { type: 'thinking', thinking: '', signature: 'c2lnbmF0dXJl' },
      { type: 'text', text: "Here's a step-by-step guide. Hello!" },
    ]);
    expect(messageText({ role: 'assistant', content: response.content })).toBe(
      "Here's a step-by-step guide. Hello!",
    );
    expect((raw as { text?: string }).text).toBe("Here's a step-by-step guide. Hello!");
    // Sent back as one signed part, as a non-streamed reply has it.
    const next = gemini.buildRequest(
      request({
        messages: [
          { role: 'user', content: 'Guide me' },
          { role: 'assistant', content: response.content },
          { role: 'user', content: 'Thanks' },
        ],
      }),
    );
    expect(next.contents[1]?.parts).toEqual([
      { text: "Here's a step-by-step guide. Hello!", thoughtSignature: 'c2lnbmF0dXJl' },
    ]);
  });

  it('streams a function call: text reaches onTextDelta, the call becomes a tool_use with its signature', async () => {
    // Built from tool-loop.1's reply, split into stream chunks (no recorded Gemini stream has a call).
    const recorded = loadFixture('gemini', 'tool-loop.1');
    const body = recorded.response.body as { usageMetadata: unknown; responseId: string };
    const call = firstParts(recorded)[0] ?? {};
    const chunk = (parts: unknown[], extra: Record<string, unknown> = {}): { data: unknown } => ({
      data: {
        candidates: [{ content: { role: 'model', parts }, ...extra }],
        responseId: body.responseId,
      },
    });
    const streamed: Fixture = {
      request: { method: 'POST', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent' },
      response: {
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        sse: [
          chunk([{ text: 'Checking', thought: true }]),
          chunk([{ text: 'Let me ' }]),
          chunk([{ text: 'check.' }]),
          chunk([call], { finishReason: 'STOP' }),
          { data: { usageMetadata: body.usageMetadata, responseId: body.responseId } },
        ],
      },
    };
    const replay = await serve([streamed]);
    const gemini = await provider(replay.url);
    const deltas: string[] = [];
    const { response } = await gemini.doGenerate(
      gemini.buildRequest(
        request({
          messages: [{ role: 'user', content: 'Weather in Paris?' }],
          tools: [weatherTool],
          stream: true,
        }),
      ),
      { onTextDelta: (d) => deltas.push(d) },
    );
    expect(deltas).toEqual(['Let me ', 'check.']);
    expect(response.content).toEqual([
      { type: 'thinking', thinking: 'Checking' },
      { type: 'text', text: 'Let me check.' },
      { type: 'thinking', thinking: '', signature: call['thoughtSignature'] },
      {
        type: 'tool_use',
        id: `gemini-call-${body.responseId}-0`,
        name: 'get_weather',
        input: { city: 'Paris' },
      },
    ]);
    expect(response.stopReason).toBe('tool_use');
    expect(response.usage.reasoningTokens).toBe(48);
  });

  it('maps thought parts and the text signature, and sends them back unchanged', async () => {
    const fixture = loadFixture('gemini', 'thinking');
    const followUp = loadFixture('gemini', 'text');
    followUp.request.path = '/v1beta/models/gemini-3-pro-preview:generateContent';
    const replay = await serve([fixture, followUp]);
    const gemini = await provider(replay.url, fastRetryEnv, 'gemini-3-pro-preview');
    const user: Message = { role: 'user', content: 'How do I cross the street?' };
    const dummy: ToolSpec = {
      name: 'dummy',
      description: '',
      inputSchema: { additionalProperties: false, properties: {}, type: 'object' },
    };
    const { response } = await gemini.doGenerate(
      gemini.buildRequest(
        request({
          model: 'gemini-3-pro-preview',
          systemPrompt: 'You are a helpful assistant.',
          messages: [user],
          tools: [dummy],
          parameters: { response_modalities: ['TEXT'], thinking: { type: 'enabled' } },
        }),
      ),
      {},
    );
    expect(replay.received[0]?.body).toEqual(camelKeys(fixture.request.body));

    const parts = firstParts(fixture);
    expect(parts).toHaveLength(2);
    expect(response.content).toEqual([
      { type: 'thinking', thinking: parts[0]?.['text'] },
      { type: 'thinking', thinking: '', signature: parts[1]?.['thoughtSignature'] },
      { type: 'text', text: parts[1]?.['text'] },
    ]);
    expect(response.usage).toEqual({
      inputTokens: 29,
      outputTokens: 736 + 1001,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 1001,
    });

    // Round trip through plain JSON state: the model turn goes back as the API sent it.
    const assistant = JSON.parse(JSON.stringify(response.content)) as AssistantBlock[];
    await gemini.doGenerate(
      gemini.buildRequest(
        request({
          model: 'gemini-3-pro-preview',
          messages: [
            user,
            { role: 'assistant', content: assistant },
            { role: 'user', content: 'Thanks!' },
          ],
        }),
      ),
      {},
    );
    const contents = (replay.received[1]?.body as { contents: unknown[] }).contents;
    expect(contents[1]).toEqual({ role: 'model', parts });
  });

  it('counts tokens through models.countTokens with the context window of the model family', async () => {
    const fixture = loadFixture('gemini', 'count-tokens');
    const replay = await serve([fixture]);
    const gemini = await provider(replay.url);
    const count = await gemini.countTokens(
      request({
        messages: [{ role: 'user', content: 'The quick brown fox jumps over the lazydog.' }],
      }),
      {},
    );
    expect(replay.received[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(replay.received[0]?.body).toEqual(fixture.request.body);
    expect(count).toEqual({
      inputTokens: 12,
      contextWindow: 1_048_576,
      percentage: (12 / 1_048_576) * 100,
      remainingTokens: 1_048_576 - 12,
    });
  });

  it('counts an empty conversation as zero tokens without a request', async () => {
    const replay = await serve([]);
    const gemini = await provider(replay.url);
    const count = await gemini.countTokens(request({}), {});
    expect(count?.inputTokens).toBe(0);
    expect(replay.received).toHaveLength(0);
  });

  it('sends [parameters].extra_headers as request headers, not in the body', async () => {
    const replay = await serve([loadFixture('gemini', 'text')]);
    const gemini = await provider(replay.url);
    const payload = gemini.buildRequest(
      request({
        messages: [{ role: 'user', content: 'Hello!' }],
        parameters: { extra_headers: { 'x-trace-id': 'abc123' }, max_tokens: 50 },
      }),
    );
    expect(payload.config).toEqual({
      httpOptions: { headers: { 'x-trace-id': 'abc123' } },
      maxOutputTokens: 50,
    });
    await gemini.doGenerate(payload, {});
    expect(replay.received[0]?.headers['x-trace-id']).toBe('abc123');
    expect(replay.received[0]?.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello!' }] }],
      generationConfig: { maxOutputTokens: 50 },
    });
  });
});

describe('gemini provider failures', () => {
  const hello = request({
    messages: [{ role: 'user', content: 'What is the capital of France?' }],
  });

  it('retries a 429 RESOURCE_EXHAUSTED and then succeeds', async () => {
    const replay = await serve([
      loadFixture('gemini', 'error-429-resource-exhausted'),
      loadFixture('gemini', 'text'),
    ]);
    const gemini = await provider(replay.url);
    const { response } = await gemini.doGenerate(gemini.buildRequest(hello), {});
    expect(response.content).toEqual([{ type: 'text', text: 'Hello! How can I help you today?' }]);
    expect(replay.received).toHaveLength(2);
  });

  it('retries a 503 and then succeeds', async () => {
    const unavailable = withStatus(
      loadFixture('gemini', 'error-429-resource-exhausted'),
      503,
      'The model is overloaded.',
      'UNAVAILABLE',
    );
    const replay = await serve([unavailable, loadFixture('gemini', 'text')]);
    const gemini = await provider(replay.url);
    const { response } = await gemini.doGenerate(gemini.buildRequest(hello), {});
    expect(response.stopReason).toBe('end_turn');
    expect(replay.received).toHaveLength(2);
  });

  it('gives up after LLMPROC_RETRY_MAX_ATTEMPTS attempts with the status and the API message', async () => {
    const error = loadFixture('gemini', 'error-429-resource-exhausted');
    const replay = await serve([error, error, error]);
    const gemini = await provider(replay.url, { ...fastRetryEnv, LLMPROC_RETRY_MAX_ATTEMPTS: '3' });
    const failure = gemini.doGenerate(gemini.buildRequest(hello), {});
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({
      message: 'gemini API error 429: You exceeded your current quota, please check your plan.',
      provider: 'gemini',
      status: 429,
      code: 'PROVIDER_ERROR',
      details: { apiStatus: 'RESOURCE_EXHAUSTED' },
    });
    expect(replay.received).toHaveLength(3);
  });

  it('fails at once on 400 API_KEY_INVALID, with exactly one request', async () => {
    const replay = await serve([
      loadFixture('gemini', 'error-400-api-key-invalid'),
      loadFixture('gemini', 'text'),
    ]);
    const gemini = await provider(replay.url);
    await expect(gemini.doGenerate(gemini.buildRequest(hello), {})).rejects.toMatchObject({
      name: 'ProviderError',
      message: 'gemini API error 400: API key not valid. Please pass a valid API key.',
      status: 400,
    });
    expect(replay.received).toHaveLength(1);
  });

  it('fails at once on 401 and 403', async () => {
    const base = loadFixture('gemini', 'error-400-api-key-invalid');
    const replay = await serve([
      withStatus(base, 401, 'Request had invalid authentication credentials.', 'UNAUTHENTICATED'),
      withStatus(base, 403, 'Permission denied.', 'PERMISSION_DENIED'),
      loadFixture('gemini', 'text'),
    ]);
    const gemini = await provider(replay.url);
    await expect(gemini.doGenerate(gemini.buildRequest(hello), {})).rejects.toMatchObject({
      message: 'gemini API error 401: Request had invalid authentication credentials.',
      status: 401,
    });
    expect(replay.received).toHaveLength(1);
    await expect(gemini.doGenerate(gemini.buildRequest(hello), {})).rejects.toMatchObject({
      status: 403,
    });
    expect(replay.received).toHaveLength(2);
  });

  it('fails at once on 404 for an unknown model', async () => {
    const replay = await serve([
      loadFixture('gemini', 'error-404-model-not-found'),
      loadFixture('gemini', 'text'),
    ]);
    const gemini = await provider(replay.url, fastRetryEnv, 'gemini-3.6-flahs');
    const failure = gemini.doGenerate(
      gemini.buildRequest(
        request({ model: 'gemini-3.6-flahs', messages: [{ role: 'user', content: 'hello' }] }),
      ),
      {},
    );
    await expect(failure).rejects.toMatchObject({
      status: 404,
      message: expect.stringMatching(
        /^gemini API error 404: models\/gemini-3\.6-flahs is not found for API version v1beta/,
      ) as unknown,
    });
    expect(replay.received).toHaveLength(1);
  });

  it('reports an error frame inside a stream with its status and message', async () => {
    const replay = await serve([
      {
        request: { method: 'POST', path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent' },
        response: {
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
          sse: [
            { data: { candidates: [{ content: { role: 'model', parts: [{ text: 'Par' }] } }] } },
            {
              data: {
                error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' },
              },
            },
          ],
        },
      },
    ]);
    const gemini = await provider(replay.url);
    await expect(
      gemini.doGenerate(gemini.buildRequest({ ...hello, stream: true }), {}),
    ).rejects.toMatchObject({
      message: 'gemini API error 503: The model is overloaded.',
      status: 503,
    });
  });

  it('reports a connection failure with no status', async () => {
    const replay = await serve([]);
    const url = replay.url;
    await replay.close();
    server = undefined;
    const gemini = await provider(url);
    const failure = gemini.doGenerate(gemini.buildRequest(hello), {});
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({
      status: undefined,
      retryable: true,
      message: expect.stringMatching(/^gemini API connection failed: /) as unknown,
    });
  });

  it('rejects with ABORTED when the signal aborts mid-stream', async () => {
    const replay = await serve([loadFixture('gemini', 'text-stream')], 300);
    const gemini = await provider(replay.url, fastRetryEnv, 'gemini-2.0-flash-exp');
    const controller = new AbortController();
    const deltas: string[] = [];
    let abortedAt = 0;
    const failure = gemini.doGenerate(
      gemini.buildRequest(
        request({
          model: 'gemini-2.0-flash-exp',
          messages: [{ role: 'user', content: 'Hi' }],
          stream: true,
        }),
      ),
      {
        signal: controller.signal,
        onTextDelta: (delta) => {
          deltas.push(delta);
          abortedAt = Date.now();
          controller.abort();
        },
      },
    );
    await expect(failure).rejects.toMatchObject({ name: 'LlmprocError', code: 'ABORTED' });
    expect(deltas).toEqual(['The']);
    // Measured from the abort (not from the start, which includes the SDK's own start-up on a loaded
    // machine): the rest of the recorded stream would take 600 ms more.
    expect(Date.now() - abortedAt).toBeLessThan(500);
  });

  it('rejects with ABORTED at once when aborted during a retry wait', async () => {
    const replay = await serve([
      loadFixture('gemini', 'error-429-resource-exhausted'),
      loadFixture('gemini', 'text'),
    ]);
    const gemini = await provider(replay.url, {
      GEMINI_API_KEY: 'k',
      LLMPROC_RETRY_INITIAL_WAIT: '30',
    });
    const signal = AbortSignal.timeout(100);
    const started = Date.now();
    await expect(gemini.doGenerate(gemini.buildRequest(hello), { signal })).rejects.toBeInstanceOf(
      LlmprocError,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(replay.received).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const replay = await serve([loadFixture('gemini', 'text')]);
    const gemini = await provider(replay.url);
    await expect(
      gemini.doGenerate(gemini.buildRequest(hello), { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'ABORTED', message: 'gemini API call aborted' });
    expect(replay.received).toHaveLength(0);
  });
});

describe('gemini credentials', () => {
  it('fails at createProvider without GEMINI_API_KEY or GOOGLE_API_KEY, naming both', async () => {
    const creating = createProvider({ provider: 'gemini', model: 'gemini-2.5-flash', env: {} });
    await expect(creating).rejects.toBeInstanceOf(LlmprocError);
    await expect(creating).rejects.toMatchObject({
      code: 'MISSING_CREDENTIALS',
      message:
        'gemini: API key must be provided via GEMINI_API_KEY or GOOGLE_API_KEY environment variable',
    });
  });

  it('accepts GOOGLE_API_KEY when GEMINI_API_KEY is absent', async () => {
    const replay = await serve([loadFixture('gemini', 'text')]);
    const gemini = await provider(replay.url, { GOOGLE_API_KEY: 'google-key' });
    await gemini.doGenerate(
      gemini.buildRequest(request({ messages: [{ role: 'user', content: 'Hello!' }] })),
      {},
    );
    expect(replay.received[0]?.headers['x-goog-api-key']).toBe('google-key');
  });

  it('fails at createProvider for gemini_vertex without a project, naming GOOGLE_CLOUD_PROJECT', async () => {
    await expect(
      createProvider({
        provider: 'gemini_vertex',
        model: 'gemini-2.5-flash',
        env: { GEMINI_API_KEY: 'k' },
      }),
    ).rejects.toMatchObject({
      code: 'MISSING_CREDENTIALS',
      message: expect.stringContaining('GOOGLE_CLOUD_PROJECT') as unknown,
    });
  });

  it.skipIf(process.env['GOOGLE_APPLICATION_CREDENTIALS'] !== undefined)(
    'creates gemini_vertex from a project, and says how to log in when Google credentials are missing',
    async () => {
      const replay = await serve([loadFixture('gemini', 'text')]);
      const vertex = await createProvider({
        provider: 'gemini_vertex',
        model: 'gemini-2.5-flash',
        projectId: 'my-project',
        env: { LLMPROC_RETRY_MAX_ATTEMPTS: '1' },
        baseUrl: replay.url,
      });
      expect(vertex.name).toBe('gemini_vertex');
      await expect(
        vertex.doGenerate(
          vertex.buildRequest(request({ messages: [{ role: 'user', content: 'Hello!' }] })),
          {},
        ),
      ).rejects.toMatchObject({
        name: 'ProviderError',
        code: 'MISSING_CREDENTIALS',
        provider: 'gemini_vertex',
        message: expect.stringContaining('gcloud auth application-default login') as unknown,
      });
      expect(replay.received).toHaveLength(0);
    },
  );
});
