import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../test/support/replay-server.js';
import { ProviderError } from '../../errors.js';
import {
  contextWindowFor,
  fromAnthropicMessage,
  fromAnthropicTokenCount,
  fromAnthropicUsage,
} from './response.js';

function recordedResponse(name: string): Record<string, unknown> {
  return loadFixture('anthropic', name).response.body as Record<string, unknown>;
}

describe('fromAnthropicMessage', () => {
  it('maps the recorded text reply: text block, end_turn, usage', () => {
    expect(fromAnthropicMessage(recordedResponse('text'))).toEqual({
      id: 'msg_01Fg1JVgvCYUHWsxrj9GkpEv',
      model: 'claude-3-opus-20240229',
      content: [{ type: 'text', text: 'The capital of France is Paris.' }],
      stopReason: 'end_turn',
      usage: {
        inputTokens: 20,
        outputTokens: 10,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('keeps the API tool-call id and the parsed input, with stop reason tool_use', () => {
    const response = fromAnthropicMessage(recordedResponse('tool-loop.1'));
    expect(response.content).toEqual([
      {
        type: 'tool_use',
        id: 'toolu_01WN4AuToBnJyXNQXwQBBebj',
        name: 'get_weather',
        input: { city: 'Paris' },
      },
    ]);
    expect(response.stopReason).toBe('tool_use');
  });

  it('keeps every parallel tool call in block order after the text', () => {
    const response = fromAnthropicMessage(recordedResponse('parallel-tool-loop.1'));
    expect(response.content.map((b) => (b.type === 'tool_use' ? b.input['name'] : b.type))).toEqual(
      ['text', 'Alice', 'Bob', 'Charlie', 'Daisy'],
    );
  });

  it('keeps thinking blocks with their signature ahead of the text', () => {
    const body = recordedResponse('thinking');
    const recordedBlocks = body['content'] as { signature: string; thinking: string }[];
    const response = fromAnthropicMessage(body);
    expect(response.content[0]).toEqual({
      type: 'thinking',
      thinking: recordedBlocks[0]?.thinking,
      signature: recordedBlocks[0]?.signature,
    });
    expect(response.content[1]?.type).toBe('text');
  });

  it('keeps redacted_thinking and leaves out server tool blocks the plain format cannot hold', () => {
    const response = fromAnthropicMessage({
      id: 'msg_1',
      model: 'claude-sonnet-4-6',
      content: [
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
        { type: 'text', text: 'done' },
      ],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1, output_tokens: 2 },
    });
    expect(response.content).toEqual([
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'done' },
    ]);
  });

  it('gives a tool call whose input is not an object an empty argument object', () => {
    const response = fromAnthropicMessage({
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'x', input: 'not json' }],
      stop_reason: 'tool_use',
    });
    expect(response.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'x', input: {} }]);
  });

  it('passes stop reasons beyond the four classic ones through unchanged', () => {
    for (const stopReason of ['max_tokens', 'stop_sequence', 'pause_turn', 'refusal']) {
      expect(fromAnthropicMessage({ content: [], stop_reason: stopReason }).stopReason).toBe(
        stopReason,
      );
    }
    expect(fromAnthropicMessage({ content: [], stop_reason: null }).stopReason).toBeNull();
  });

  it('names every field of the wrong type, and refuses a reply that is not an object', () => {
    expect(() => fromAnthropicMessage({ id: 7, model: 'm', content: [], stop_reason: 3 })).toThrow(
      /does not match the Messages API: id: expected a string, got number; stop_reason: expected a string, got number$/,
    );
    expect(() => fromAnthropicMessage('{"content":[]}')).toThrow(/expected an object, got string/);
    expect(() => fromAnthropicMessage(null)).toThrow(/expected an object, got null/);
  });

  it('leaves out blocks that are not objects or lack their fields, and reads bad usage as 0', () => {
    const response = fromAnthropicMessage({
      content: [
        'text',
        null,
        { type: 'text', text: 5 },
        { type: 'tool_use', id: 'toolu_1' },
        { type: 'thinking', thinking: 'hm', signature: null },
        { type: 'text', text: 'kept' },
      ],
      usage: { input_tokens: -1, output_tokens: Number.NaN, cache_read_input_tokens: '3' },
    });
    expect(response.content).toEqual([
      { type: 'thinking', thinking: 'hm' },
      { type: 'text', text: 'kept' },
    ]);
    expect(response.usage).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    expect(response).toMatchObject({ id: null, model: '', stopReason: null });
  });

  it('rejects a reply without a content list with a ProviderError naming the provider', () => {
    expect(() => fromAnthropicMessage({ id: 'x' }, 'anthropic_vertex')).toThrow(ProviderError);
    expect(() => fromAnthropicMessage({ id: 'x' }, 'anthropic_vertex')).toThrow(
      /^anthropic_vertex API returned a message that does not match/,
    );
  });
});

describe('fromAnthropicUsage', () => {
  it('reads cache read and cache write tokens from the recorded prompt-cache reply', () => {
    expect(fromAnthropicUsage(recordedResponse('prompt-cache.2')['usage'])).toEqual({
      inputTokens: 3,
      outputTokens: 33,
      cacheReadTokens: 1111,
      cacheWriteTokens: 418,
      reasoningTokens: 0,
    });
  });

  it('counts null or missing cache fields as 0, never NaN', () => {
    const usage = fromAnthropicUsage({
      input_tokens: 5,
      output_tokens: 7,
      cache_read_input_tokens: null,
      cache_creation_input_tokens: null,
      output_tokens_details: null,
    });
    expect(usage).toEqual({
      inputTokens: 5,
      outputTokens: 7,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    expect(fromAnthropicUsage(undefined)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    expect(fromAnthropicUsage({ input_tokens: Number.NaN, output_tokens: 'x' })).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('reports thinking tokens as reasoning tokens where the API gives them', () => {
    expect(
      fromAnthropicUsage({
        input_tokens: 10,
        output_tokens: 300,
        output_tokens_details: { thinking_tokens: 120 },
      }).reasoningTokens,
    ).toBe(120);
  });
});

describe('fromAnthropicTokenCount', () => {
  it('turns the recorded count into a share of the 200k Claude context window', () => {
    const counted = fromAnthropicTokenCount(recordedResponse('count-tokens'), 'claude-sonnet-4-5');
    expect(counted).toEqual({
      inputTokens: 1114,
      contextWindow: 200_000,
      percentage: (1114 / 200_000) * 100,
      remainingTokens: 198_886,
    });
  });

  it('leaves window, percentage and remaining unknown for a model that is not Claude', () => {
    expect(fromAnthropicTokenCount({ input_tokens: 3 }, 'some-proxy-model')).toEqual({
      inputTokens: 3,
      contextWindow: null,
      percentage: null,
      remainingTokens: null,
    });
    expect(contextWindowFor('claude-sonnet-4-5@20250929')).toBe(200_000);
  });
});
