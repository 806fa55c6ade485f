import { describe, expect, it } from 'vitest';
import type { Message } from '../conversation/messages.js';
import type { ToolSpec } from '../conversation/tool-spec.js';
import { ConversionCache } from './conversion-cache.js';
import { toAnthropicRequest, type AnthropicConversions } from './anthropic/request.js';
import { buildChatRequest, type ChatConversions } from './openai/chat/request.js';
import { buildResponsesRequest, type ResponsesConversions } from './openai/responses/request.js';
import { buildGeminiRequest, type GeminiConversions } from './gemini/request.js';
import type { ModelRequest } from './types.js';

const tools: ToolSpec[] = [
  { name: 'read', description: 'Reads a file', inputSchema: { type: 'object', properties: {} } },
];

/** A tool conversation, turn by turn, as the loop grows it (new message objects, never changed). */
function conversationTurns(turns: number): Message[][] {
  const states: Message[][] = [];
  const state: Message[] = [{ role: 'user', content: 'Read the files' }];
  for (let t = 0; t < turns; t++) {
    states.push([...state]);
    state.push({
      role: 'assistant',
      content: [
        { type: 'text', text: `Reading ${String(t)}` },
        {
          type: 'tool_use',
          id: `call_${String(t)}`,
          name: 'read',
          input: { path: `f${String(t)}` },
        },
      ],
    });
    state.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: `call_${String(t)}`, content: 'x', is_error: false },
      ],
    });
  }
  states.push([...state, { role: 'user', content: 'Now summarize' }]);
  return states;
}

function request(messages: Message[], promptCaching: boolean): ModelRequest {
  return {
    model: 'model-x',
    systemPrompt: 'Be brief.',
    messages,
    tools,
    parameters: {},
    promptCaching,
    stream: false,
  };
}

describe('ConversionCache', () => {
  it('converts a message once while it stays at its place, and again when it is replaced', () => {
    const cache = new ConversionCache<string, never>();
    const converted: Message[] = [];
    const convert = (message: Message): string => {
      converted.push(message);
      return typeof message.content === 'string' ? message.content : 'blocks';
    };
    const first: Message = { role: 'user', content: 'a' };
    const second: Message = { role: 'assistant', content: 'b' };
    expect(cache.messages([first], convert)).toEqual(['a']);
    expect(cache.messages([first, second], convert)).toEqual(['a', 'b']);
    // goto: the conversation cut back and continued with a new message at the same place.
    const replaced: Message = { role: 'assistant', content: 'c' };
    expect(cache.messages([first, replaced], convert)).toEqual(['a', 'c']);
    expect(converted).toEqual([first, second, replaced]);
  });

  it('hands out a new array each time, so changing one changes nothing it keeps', () => {
    const cache = new ConversionCache<string, never>();
    const message: Message = { role: 'user', content: 'a' };
    const convert = (m: Message): string => (typeof m.content === 'string' ? m.content : '');
    cache.messages([message], convert).push('extra');
    expect(cache.messages([message], convert)).toEqual(['a']);
  });

  it('converts a list of tool specs once while it is the same list', () => {
    const cache = new ConversionCache<never, string>();
    let calls = 0;
    const convert = (specs: readonly ToolSpec[]): string[] => {
      calls++;
      return specs.map((s) => s.name);
    };
    cache.tools(tools, convert).push('extra');
    expect(cache.tools(tools, convert)).toEqual(['read']);
    expect(calls).toBe(1);
    cache.tools([...tools], convert);
    expect(calls).toBe(2);
  });
});

/** An adapter's request builder as a test row: a builder with its conversions kept, or without. */
function adapter<Converted, ConvertedTool>(
  name: string,
  build: (
    messages: Message[],
    cache: ConversionCache<Converted, ConvertedTool> | undefined,
  ) => unknown,
): [string, (cached: boolean) => (messages: Message[]) => unknown] {
  return [
    name,
    (cached) => {
      const cache = cached ? new ConversionCache<Converted, ConvertedTool>() : undefined;
      return (messages) => build(messages, cache);
    },
  ];
}

describe('each adapter with its conversions kept between calls', () => {
  const adapters = [
    adapter('anthropic, prompt caching on', (messages, cache: AnthropicConversions | undefined) =>
      toAnthropicRequest(request(messages, true), cache),
    ),
    adapter('openai chat', (messages, cache: ChatConversions | undefined) =>
      buildChatRequest(request(messages, false), cache),
    ),
    adapter('openai responses', (messages, cache: ResponsesConversions | undefined) =>
      buildResponsesRequest(request(messages, false), cache),
    ),
    adapter('gemini', (messages, cache: GeminiConversions | undefined) =>
      buildGeminiRequest(request(messages, false), cache),
    ),
  ];

  it.each(adapters)('%s: builds every call of a run exactly as without them', (_name, make) => {
    const cached = make(true);
    const fresh = make(false);
    // Each call twice, as a retry of the same conversation does: the second one is all reuse.
    const payloads = conversationTurns(6).flatMap((messages) =>
      [cached(messages), cached(messages)].map((payload) => {
        expect(payload).toEqual(fresh(messages));
        return { payload, copy: structuredClone(payload) };
      }),
    );
    // And a payload already built is not changed by the calls after it.
    for (const { payload, copy } of payloads) expect(payload).toEqual(copy);
  });
});
