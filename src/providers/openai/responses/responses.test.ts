/**
 * The Responses API mappers, pure: plain conversation -> request params, recorded Response bodies
 * (openai/__fixtures__/responses) -> ModelResponse, and the reasoning round trip.
 */
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../errors.js';
import type { Message } from '../../../conversation/messages.js';
import { fromInputTokenCount, toInputTokenCountParams } from '../input-tokens.js';
import { loadFixture } from '../../../../test/support/replay-server.js';
import type { ModelRequest, ToolSpec } from '../../types.js';
import { decodeReasoningSignature, encodeReasoningSignature } from './reasoning-signature.js';
import { buildResponsesRequest, toResponsesInput } from './request.js';
import { fromResponse, fromResponseStatus } from './response.js';

/** A copy of `record` without `key` (recorded requests carry fields the adapter does not send). */
function without(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

const capitalTool: ToolSpec = {
  name: 'get_capital',
  description: 'Get the capital of a country.',
  inputSchema: {
    type: 'object',
    properties: { country: { type: 'string' } },
    required: ['country'],
  },
};

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-5',
    systemPrompt: '',
    messages: [{ role: 'user', content: 'Hi' }],
    tools: [],
    parameters: { reasoning_effort: 'low' },
    promptCaching: true,
    stream: false,
    ...overrides,
  };
}

/** The final `response` of the last SSE frame of a recorded stream. */
function completedResponse(name: string): unknown {
  const frames = loadFixture('openai-responses', name).response.sse ?? [];
  const last = frames.at(-1)?.data as { response: unknown };
  return last.response;
}

describe('buildResponsesRequest', () => {
  it('maps reasoning_effort to reasoning.effort and max_tokens to max_output_tokens', () => {
    const payload = buildResponsesRequest(
      request({
        systemPrompt: 'Be brief.',
        tools: [capitalTool],
        parameters: { reasoning_effort: 'high', max_tokens: 900, temperature: 1 },
      }),
    );
    expect(payload).toEqual({
      model: 'gpt-5',
      instructions: 'Be brief.',
      input: [{ role: 'user', content: 'Hi' }],
      tools: [
        {
          type: 'function',
          name: 'get_capital',
          description: 'Get the capital of a country.',
          parameters: capitalTool.inputSchema,
          strict: false,
        },
      ],
      reasoning: { effort: 'high' },
      max_output_tokens: 900,
      temperature: 1,
      store: false,
      include: ['reasoning.encrypted_content'],
    });
  });

  it('maps max_completion_tokens to max_output_tokens too', () => {
    const payload = buildResponsesRequest(
      request({ parameters: { reasoning_effort: 'low', max_completion_tokens: 300 } }),
    );
    expect(payload['max_output_tokens']).toBe(300);
    expect('max_completion_tokens' in payload).toBe(false);
  });

  it('merges a reasoning table with reasoning_effort, the table winning', () => {
    const payload = buildResponsesRequest(
      request({
        parameters: { reasoning_effort: 'low', reasoning: { summary: 'auto', effort: 'medium' } },
      }),
    );
    expect(payload['reasoning']).toEqual({ effort: 'medium', summary: 'auto' });
    expect('reasoning_effort' in payload).toBe(false);
  });

  it('lets [parameters] choose store and include', () => {
    const payload = buildResponsesRequest(
      request({ parameters: { reasoning_effort: 'low', store: true, include: [] } }),
    );
    expect(payload['store']).toBe(true);
    expect(payload['include']).toEqual([]);
  });

  it('omits instructions when the system prompt is empty and marks streaming requests', () => {
    const payload = buildResponsesRequest(request({ stream: true }));
    expect('instructions' in payload).toBe(false);
    expect(payload['stream']).toBe(true);
  });

  it('keeps extra_headers under its own key for doGenerate to send as headers', () => {
    const payload = buildResponsesRequest(
      request({ parameters: { reasoning_effort: 'low', extra_headers: { 'X-A': '1' } } }),
    );
    expect(payload['extra_headers']).toEqual({ 'X-A': '1' });
  });
});

describe('toResponsesInput', () => {
  it('sends a tool call and its result as the recorded function_call and function_call_output', () => {
    const conversation: Message[] = [
      { role: 'user', content: 'What is the capital of PotatoLand?' },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'call_YfwRsW8sUxDKipwyhWTzOXCA',
            name: 'get_capital',
            input: { country: 'PotatoLand' },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'call_YfwRsW8sUxDKipwyhWTzOXCA',
            content: 'Potato City',
            is_error: false,
          },
        ],
      },
    ];
    const recorded = (
      loadFixture('openai-responses', 'tool-loop.2').request.body as {
        input: Record<string, unknown>[];
      }
    ).input.map((item) => without(item, 'status'));
    expect(toResponsesInput(conversation)).toEqual(recorded);
  });

  it('sends a reasoning item back, with its id and encrypted content, before the call it led to', () => {
    const response = fromResponse(completedResponse('stream-reasoning-function-call'));
    const input = toResponsesInput([
      { role: 'user', content: 'Calculate 100 * 200 / 3' },
      { role: 'assistant', content: response.content },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'call_CWXgs68YprAjp6t0371hiPOI',
            content: 'ok',
            is_error: false,
          },
        ],
      },
    ]);
    const recordedOutput = (
      completedResponse('stream-reasoning-function-call') as {
        output: { id: string; encrypted_content: string }[];
      }
    ).output;
    expect(input).toEqual([
      { role: 'user', content: 'Calculate 100 * 200 / 3' },
      {
        type: 'reasoning',
        id: 'rs_0050471a34b36ae60068c97bac4dcc819595fd0f80d6b3c405',
        summary: [],
        encrypted_content: recordedOutput[0]?.encrypted_content,
      },
      {
        type: 'function_call',
        call_id: 'call_CWXgs68YprAjp6t0371hiPOI',
        name: 'final_result',
        arguments: '{"result":6666}',
      },
      { type: 'function_call_output', call_id: 'call_CWXgs68YprAjp6t0371hiPOI', output: 'ok' },
    ]);
  });

  it('drops thinking blocks it did not make, redacted thinking, and reasoning with nothing after it', () => {
    const ours = encodeReasoningSignature('rs_1', 'enc');
    expect(
      toResponsesInput([
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'anthropic thought', signature: 'EqQBCkYIBxgCKkA' },
            { type: 'redacted_thinking', data: 'abc' },
            { type: 'text', text: 'Hello ' },
            { type: 'text', text: 'there.' },
            { type: 'thinking', thinking: 'trailing', signature: ours },
          ],
        },
      ]),
    ).toEqual([{ role: 'assistant', content: 'Hello there.' }]);
  });

  it('keeps a reasoning summary as a summary_text part', () => {
    expect(
      toResponsesInput([
        {
          role: 'assistant',
          content: [
            {
              type: 'thinking',
              thinking: 'I should greet.',
              signature: encodeReasoningSignature('rs_2', null),
            },
            { type: 'text', text: 'Hi!' },
          ],
        },
      ]),
    ).toEqual([
      {
        type: 'reasoning',
        id: 'rs_2',
        summary: [{ type: 'summary_text', text: 'I should greet.' }],
      },
      { role: 'assistant', content: 'Hi!' },
    ]);
  });

  it('places tool outputs before the text of the same user message', () => {
    expect(
      toResponsesInput([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'and then?' },
            { type: 'tool_result', tool_use_id: 'c1', content: 'r1', is_error: false },
            { type: 'text', text: 'thanks' },
          ],
        },
      ]),
    ).toEqual([
      { type: 'function_call_output', call_id: 'c1', output: 'r1' },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'and then?' },
          { type: 'input_text', text: 'thanks' },
        ],
      },
    ]);
  });
});

describe('reasoning signatures', () => {
  it('decodes what it encodes and nothing else', () => {
    expect(decodeReasoningSignature(encodeReasoningSignature('rs_9', 'blob'))).toEqual({
      type: 'openai_reasoning',
      id: 'rs_9',
      encrypted_content: 'blob',
    });
    expect(decodeReasoningSignature('{"id":"rs_9"}')).toBeUndefined();
    expect(decodeReasoningSignature('{not json')).toBeUndefined();
    expect(decodeReasoningSignature(undefined)).toBeUndefined();
  });
});

describe('fromResponse', () => {
  it('reads the text, id, model, stop reason and usage of a plain reply', () => {
    expect(fromResponse(loadFixture('openai-responses', 'text').response.body)).toEqual({
      id: 'resp_68c2e8c147ac819491bcd667055eadbc02e845978fbbb592',
      model: 'gpt-4o-2024-08-06',
      content: [{ type: 'text', text: 'The capital of France is Paris.' }],
      stopReason: 'end_turn',
      usage: {
        inputTokens: 14,
        outputTokens: 8,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('turns a function_call item into a tool_use block keyed by call_id', () => {
    const response = fromResponse(loadFixture('openai-responses', 'tool-loop.1').response.body);
    expect(response.content).toEqual([
      {
        type: 'tool_use',
        id: 'call_YfwRsW8sUxDKipwyhWTzOXCA',
        name: 'get_capital',
        input: { country: 'PotatoLand' },
      },
    ]);
    expect(response.stopReason).toBe('tool_use');
  });

  it('keeps a reasoning item as a thinking block and counts its reasoning tokens', () => {
    const response = fromResponse(completedResponse('stream-reasoning-function-call'));
    expect(response.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    const thinking = response.content[0];
    expect(thinking?.type === 'thinking' && thinking.thinking).toBe('');
    expect(thinking?.type === 'thinking' && decodeReasoningSignature(thinking.signature)?.id).toBe(
      'rs_0050471a34b36ae60068c97bac4dcc819595fd0f80d6b3c405',
    );
    expect(response.usage).toEqual({
      inputTokens: 53,
      outputTokens: 469,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 448,
    });
  });

  it('joins reasoning summary parts into the thinking text', () => {
    const response = fromResponse({
      id: 'r',
      model: 'gpt-5',
      status: 'completed',
      output: [
        {
          type: 'reasoning',
          id: 'rs_x',
          summary: [
            { type: 'summary_text', text: 'First.' },
            { type: 'summary_text', text: 'Second.' },
          ],
          encrypted_content: 'e',
        },
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done' }] },
      ],
    });
    expect(response.content).toEqual([
      {
        type: 'thinking',
        thinking: 'First.\n\nSecond.',
        signature: encodeReasoningSignature('rs_x', 'e'),
      },
      { type: 'text', text: 'Done' },
    ]);
  });

  it('reads cache reads and writes out of input_tokens', () => {
    const response = fromResponse({
      id: 'r',
      model: 'gpt-5',
      status: 'completed',
      output: [],
      usage: {
        input_tokens: 5000,
        input_tokens_details: { cached_tokens: 3000, cache_write_tokens: 1000 },
        output_tokens: 10,
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(response.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 10,
      cacheReadTokens: 3000,
      cacheWriteTokens: 1000,
      reasoningTokens: 0,
    });
  });

  it('rejects a failed response with its error message', () => {
    const failed = loadFixture(
      'openai-responses',
      'stream-error-insufficient-quota',
    ).response.sse?.at(-1)?.data as { response: unknown };
    expect(() => fromResponse(failed.response)).toThrow(
      /^openai API error: You exceeded your current quota/,
    );
    expect(() => fromResponse(failed.response)).toThrow(ProviderError);
  });

  it('rejects a malformed function_call item instead of dropping the call', () => {
    expect(() =>
      fromResponse({ id: 'r', model: 'm', output: [{ type: 'function_call', name: 'f' }] }),
    ).toThrow(/unexpected output item/);
  });
});

describe('fromResponseStatus', () => {
  it('maps statuses and incomplete reasons to the Anthropic vocabulary', () => {
    expect(fromResponseStatus('completed', null, false)).toBe('end_turn');
    expect(fromResponseStatus('completed', null, true)).toBe('tool_use');
    expect(fromResponseStatus('incomplete', 'max_output_tokens', false)).toBe('max_tokens');
    expect(fromResponseStatus('incomplete', 'content_filter', false)).toBe('content_filter');
    expect(fromResponseStatus('incomplete', null, false)).toBe('incomplete');
    expect(fromResponseStatus('cancelled', null, false)).toBe('cancelled');
  });
});

describe('input token counting', () => {
  it('sends only the fields the count endpoint accepts', () => {
    const payload = buildResponsesRequest(
      request({
        systemPrompt: 'Sys',
        tools: [capitalTool],
        parameters: { reasoning_effort: 'low', max_tokens: 9, extra_headers: { a: 'b' } },
      }),
    );
    expect(Object.keys(toInputTokenCountParams(payload))).toEqual([
      'model',
      'instructions',
      'input',
      'tools',
      'reasoning',
    ]);
  });

  it('reads the recorded count', () => {
    expect(fromInputTokenCount(loadFixture('openai-responses', 'input-tokens').response.body)).toBe(
      16,
    );
  });
});
