/**
 * The Chat Completions mappers, pure: plain conversation -> request params, recorded ChatCompletion
 * bodies (openai/__fixtures__/chat) -> ModelResponse.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../errors.js';
import { setLogger } from '../../../internal/logger.js';
import type { Message } from '../../../conversation/messages.js';
import { loadFixture } from '../../../../test/support/replay-server.js';
import type { ModelRequest, ToolSpec } from '../../types.js';
import { buildChatRequest, toChatMessages } from './request.js';
import { fromChatCompletion, fromChatFinishReason } from './response.js';

/** A copy of `record` without `key` (recorded requests carry fields the adapter does not send). */
function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

const weatherTool: ToolSpec = {
  name: 'get_weather',
  description: 'Get the current weather for a city.',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-4o',
    systemPrompt: '',
    messages: [{ role: 'user', content: 'Hi' }],
    tools: [],
    parameters: {},
    promptCaching: true,
    stream: false,
    ...overrides,
  };
}

function responseBody(name: string): unknown {
  return loadFixture('openai-chat', name).response.body;
}

function requestBody(name: string): Record<string, unknown> {
  return loadFixture('openai-chat', name).request.body as Record<string, unknown>;
}

describe('toChatMessages', () => {
  it('puts a non-empty system prompt first with role system, as the recorded request does', () => {
    const recorded = requestBody('text');
    expect(
      toChatMessages('You are a helpful assistant.', [
        { role: 'user', content: 'What is the capital of France?' },
      ]),
    ).toEqual(recorded['messages']);
  });

  it('sends no system message when the system prompt is empty', () => {
    expect(toChatMessages('', [{ role: 'user', content: 'Hi' }])).toEqual([
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('turns a tool_use and its tool_result into the recorded assistant tool_calls and tool message', () => {
    const conversation: Message[] = [
      { role: 'user', content: "What's the weather in Paris?" },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'call_aDdJTteHrpMdhdkEkyxjxEHH',
            name: 'get_weather',
            input: { city: 'Paris' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'call_aDdJTteHrpMdhdkEkyxjxEHH',
            content: 'Sunny, 22C in Paris',
            is_error: false,
          },
        ],
      },
    ];
    expect(toChatMessages('', conversation)).toEqual(requestBody('tool-loop.2')['messages']);
  });

  it('answers parallel tool calls with one tool message each, in call order, then the user text', () => {
    const conversation: Message[] = [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Also, be brief.' },
          { type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny', is_error: false },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'Tool failed', is_error: true },
        ],
      },
    ];
    expect(toChatMessages('', conversation).slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          {
            id: 'call_2',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Tool failed' },
      { role: 'user', content: 'Also, be brief.' },
    ]);
  });

  it('drops thinking blocks, which Chat Completions cannot take back', () => {
    expect(
      toChatMessages('', [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'redacted_thinking', data: 'xyz' },
            { type: 'text', text: 'Done.' },
          ],
        },
      ]),
    ).toEqual([{ role: 'assistant', content: 'Done.' }]);
  });

  it('sends several text blocks as text parts rather than joining them', () => {
    expect(
      toChatMessages('', [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'one' },
            { type: 'text', text: 'two' },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      },
    ]);
  });
});

describe('buildChatRequest', () => {
  it('builds model, messages and function tools like the recorded tool-loop request', () => {
    const recorded = requestBody('tool-loop.1');
    const payload = buildChatRequest(
      request({
        model: 'gpt-5-mini',
        messages: [{ role: 'user', content: "What's the weather in Paris?" }],
        tools: [weatherTool],
      }),
    );
    expect(payload['model']).toBe(recorded['model']);
    expect(payload['messages']).toEqual(recorded['messages']);
    const recordedTools = recorded['tools'] as { function: Record<string, unknown> }[];
    expect(payload['tools']).toEqual(
      recordedTools.map((tool) => ({
        type: 'function',
        function: without(tool.function, 'strict'),
      })),
    );
    expect(Object.keys(payload)).toEqual(['model', 'messages', 'tools']);
  });

  it('leaves tools out when there are none', () => {
    expect(Object.keys(buildChatRequest(request()))).toEqual(['model', 'messages']);
  });

  it('sends max_tokens as max_completion_tokens for reasoning models and keeps reasoning_effort (B76)', () => {
    for (const model of ['o1-mini', 'o3-mini', 'o4-mini', 'gpt-5-mini']) {
      const payload = buildChatRequest(
        request({ model, parameters: { max_tokens: 500, reasoning_effort: 'low' } }),
      );
      expect(payload['max_completion_tokens']).toBe(500);
      expect(payload['reasoning_effort']).toBe('low');
      expect('max_tokens' in payload).toBe(false);
    }
  });

  it('removes reasoning_effort and keeps max_tokens for other models (B76)', () => {
    const payload = buildChatRequest(
      request({
        model: 'gpt-4o-mini',
        parameters: { max_tokens: 500, reasoning_effort: 'low', temperature: 0.2 },
      }),
    );
    expect(payload).toMatchObject({ max_tokens: 500, temperature: 0.2 });
    expect('reasoning_effort' in payload).toBe(false);
    expect('max_completion_tokens' in payload).toBe(false);
  });

  it('passes other parameters through and keeps extra_headers under its own key', () => {
    const payload = buildChatRequest(
      request({
        parameters: {
          top_p: 0.5,
          stop: ['END'],
          frequency_penalty: 0.1,
          extra_headers: { 'X-Trace': 'abc' },
          unknown_thing: 7,
        },
      }),
    );
    expect(payload).toMatchObject({
      top_p: 0.5,
      stop: ['END'],
      frequency_penalty: 0.1,
      extra_headers: { 'X-Trace': 'abc' },
      unknown_thing: 7,
    });
  });

  it('asks for usage in the stream when streaming', () => {
    const payload = buildChatRequest(request({ stream: true }));
    expect(payload['stream']).toBe(true);
    expect(payload['stream_options']).toEqual({ include_usage: true });
    expect('stream' in buildChatRequest(request())).toBe(false);
  });

  it('does not let [parameters] replace the model, messages or tools', () => {
    const payload = buildChatRequest(
      request({
        parameters: { model: 'other', messages: [], tools: [], stream: true, input: 'x' },
      }),
    );
    expect(payload['model']).toBe('gpt-4o');
    expect(payload['messages']).toEqual([{ role: 'user', content: 'Hi' }]);
    expect('tools' in payload).toBe(false);
    expect('stream' in payload).toBe(false);
    expect('input' in payload).toBe(false);
  });
});

describe('fromChatCompletion', () => {
  it('reads the text, id, model, stop reason and usage of a plain reply', () => {
    expect(fromChatCompletion(responseBody('text'))).toEqual({
      id: 'chatcmpl-BJjf61mLb9z5H45ClJzbx0UWKwjo1',
      model: 'gpt-4o-2024-08-06',
      content: [{ type: 'text', text: 'The capital of France is Paris.' }],
      stopReason: 'end_turn',
      usage: {
        inputTokens: 24,
        outputTokens: 8,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('turns tool_calls into tool_use blocks with the call id and parsed arguments', () => {
    const response = fromChatCompletion(responseBody('tool-loop.1'));
    expect(response.content).toEqual([
      {
        type: 'tool_use',
        id: 'call_aDdJTteHrpMdhdkEkyxjxEHH',
        name: 'get_weather',
        input: { city: 'Paris' },
      },
    ]);
    expect(response.stopReason).toBe('tool_use');
  });

  it('counts reasoning tokens as part of the output', () => {
    expect(fromChatCompletion(responseBody('reasoning-tokens')).usage).toEqual({
      inputTokens: 13,
      outputTokens: 238,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 192,
    });
  });

  it('reports cached prompt tokens as cache reads, not as input', () => {
    expect(fromChatCompletion(responseBody('prompt-cache.2')).usage).toEqual({
      inputTokens: 8,
      outputTokens: 4,
      cacheReadTokens: 4012,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('reports prompt tokens written to the cache as cache writes, not as input', () => {
    expect(fromChatCompletion(responseBody('prompt-cache.1')).usage).toEqual({
      inputTokens: 8,
      outputTokens: 4,
      cacheReadTokens: 0,
      cacheWriteTokens: 4012,
      reasoningTokens: 0,
    });
  });

  it('fills usage with zeros when the API sends none', () => {
    const response = fromChatCompletion({
      id: 'x',
      model: 'm',
      choices: [{ finish_reason: 'stop', message: { content: 'hi' } }],
    });
    expect(response.usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('keeps a refusal as text', () => {
    const response = fromChatCompletion({
      id: 'x',
      model: 'm',
      choices: [{ finish_reason: 'stop', message: { content: null, refusal: 'I cannot help.' } }],
    });
    expect(response.content).toEqual([{ type: 'text', text: 'I cannot help.' }]);
  });

  it('calls a tool with {} and warns when its arguments are not a JSON object', () => {
    const warnings: string[] = [];
    const previous = setLogger({
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
    });
    let response;
    try {
      response = fromChatCompletion({
        id: 'x',
        model: 'm',
        choices: [
          {
            finish_reason: 'length',
            message: {
              content: null,
              tool_calls: [
                { id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":' } },
              ],
            },
          },
        ],
      });
    } finally {
      setLogger(previous);
    }
    expect(response.content).toEqual([{ type: 'tool_use', id: 'c1', name: 'f', input: {} }]);
    expect(response.stopReason).toBe('max_tokens');
    expect(warnings).toEqual([
      'openai: arguments of tool call "f" are not a JSON object; calling it with {} (got {"a":)',
    ]);
  });

  it('rejects a body that is not a chat completion with a ProviderError', () => {
    expect(() => fromChatCompletion({ object: 'list' })).toThrow(ProviderError);
  });
});

describe('fromChatFinishReason', () => {
  it('maps finish reasons to the Anthropic vocabulary', () => {
    expect(fromChatFinishReason('stop', false)).toBe('end_turn');
    expect(fromChatFinishReason('tool_calls', true)).toBe('tool_use');
    expect(fromChatFinishReason('length', false)).toBe('max_tokens');
    expect(fromChatFinishReason('content_filter', false)).toBe('content_filter');
    expect(fromChatFinishReason('something_new', false)).toBe('something_new');
    expect(fromChatFinishReason(null, false)).toBe(null);
  });

  it('says tool_use when a reply with tool calls finished with stop', () => {
    expect(fromChatFinishReason('stop', true)).toBe('tool_use');
  });
});
