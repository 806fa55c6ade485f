import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../test/support/replay-server.js';
import type { Message } from '../../conversation/messages.js';
import type { ModelRequest, ToolSpec } from '../types.js';
import {
  DEFAULT_MAX_TOKENS,
  type AnthropicConversions,
  toAnthropicCountTokensRequest,
  toAnthropicMessages,
  toAnthropicRequest,
  type AnthropicRequest,
} from './request.js';
import { applyOutputFormat } from './output.js';
import { ConversionCache } from '../conversion-cache.js';

function modelRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'claude-sonnet-4-5',
    systemPrompt: '',
    messages: [{ role: 'user', content: 'Hello' }],
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
  messages: unknown[];
  tools?: { name: string; description: string; input_schema: Record<string, unknown> }[];
}

function recordedBody(name: string): RecordedBody {
  return loadFixture('anthropic', name).request.body as RecordedBody;
}

function toolSpecs(body: RecordedBody): ToolSpec[] {
  return (body.tools ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.input_schema,
  }));
}

/** Every cache_control breakpoint in a payload, as JSON paths. */
function breakpoints(payload: AnthropicRequest): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        walk(item, `${path}[${String(i)}]`);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'cache_control') found.push(path);
        else walk(child, `${path}.${key}`);
      }
    }
  };
  walk(payload, '$');
  return found;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const toolLoopConversation: Message[] = [
  { role: 'user', content: "What's the weather in Paris?" },
  {
    role: 'assistant',
    content: [
      {
        type: 'tool_use',
        id: 'toolu_01WN4AuToBnJyXNQXwQBBebj',
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
        tool_use_id: 'toolu_01WN4AuToBnJyXNQXwQBBebj',
        content: 'Sunny, 22C in Paris',
        is_error: false,
      },
    ],
  },
];

describe('toAnthropicRequest', () => {
  it('builds the recorded plain-text request: model, max_tokens, system string, block messages', () => {
    const recorded = recordedBody('text');
    const payload = toAnthropicRequest(
      modelRequest({
        model: recorded.model,
        systemPrompt: recorded.system ?? '',
        messages: [{ role: 'user', content: 'What is the capital of France?' }],
        parameters: { max_tokens: 4096 },
      }),
    );
    expect(payload).toEqual({
      model: recorded.model,
      max_tokens: recorded.max_tokens,
      system: recorded.system,
      messages: recorded.messages,
    });
  });

  it('sends effort as output_config.effort, beside the structured output format', () => {
    const payload = toAnthropicRequest(
      modelRequest({ model: 'claude-opus-4-6', parameters: { effort: 'low' } }),
    );
    expect(payload['output_config']).toEqual({ effort: 'low' });
    expect('effort' in payload).toBe(false);
    applyOutputFormat(payload, { name: 'answer', schema: { type: 'object' }, strict: true }, true);
    expect(payload['output_config']).toEqual({
      effort: 'low',
      format: { type: 'json_schema', schema: { type: 'object' } },
    });
  });

  it('sends a default max_tokens of 4096 when the parameters have none', () => {
    expect(toAnthropicRequest(modelRequest()).max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(DEFAULT_MAX_TOKENS).toBe(4096);
    expect(toAnthropicRequest(modelRequest({ parameters: { max_tokens: 512 } })).max_tokens).toBe(
      512,
    );
  });

  it('rejects a max_tokens that is not a non-negative integer', () => {
    expect(() => toAnthropicRequest(modelRequest({ parameters: { max_tokens: '100' } }))).toThrow(
      /parameters\.max_tokens must be a non-negative integer; got "100"/,
    );
  });

  it('omits system when the prompt is empty or blank, with or without caching', () => {
    for (const promptCaching of [false, true]) {
      for (const systemPrompt of ['', '  \n']) {
        const payload = toAnthropicRequest(modelRequest({ systemPrompt, promptCaching }));
        expect(Object.keys(payload)).not.toContain('system');
      }
    }
  });

  it('sends the system prompt as a cached text block when prompt caching is on', () => {
    const payload = toAnthropicRequest(
      modelRequest({ systemPrompt: 'You are terse.', promptCaching: true }),
    );
    expect(payload.system).toEqual([
      { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('marks the first non-blank text or tool_result block of each of the last three messages', () => {
    const messages: Message[] = [
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'second question' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: ' ' },
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'toolu_1', name: 'calculator', input: { expression: '1+1' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '2', is_error: false }],
      },
    ];
    const payload = toAnthropicRequest(modelRequest({ messages, promptCaching: true }));
    expect(breakpoints(payload)).toEqual([
      '$.messages[2].content[0]',
      '$.messages[3].content[0]',
      '$.messages[4].content[0]',
    ]);
    // The blank text block was dropped, so the marked block is the real text.
    expect(payload.messages[3]?.content[0]).toEqual({
      type: 'text',
      text: 'Let me look.',
      cache_control: { type: 'ephemeral' },
    });
  });

  it('gives no breakpoint to a message made only of tool calls', () => {
    const payload = toAnthropicRequest(
      modelRequest({ messages: toolLoopConversation, promptCaching: true }),
    );
    expect(breakpoints(payload)).toEqual(['$.messages[0].content[0]', '$.messages[2].content[0]']);
  });

  it('adds no cache_control anywhere when prompt caching is off', () => {
    const payload = toAnthropicRequest(
      modelRequest({
        systemPrompt: 'system',
        messages: toolLoopConversation,
        tools: [{ name: 't', description: 'd', inputSchema: { type: 'object' } }],
        promptCaching: false,
      }),
    );
    expect(breakpoints(payload)).toEqual([]);
  });

  it('never uses more than the four breakpoints the API allows, marking tools only without a system prompt', () => {
    const tools: ToolSpec[] = [
      { name: 'a', description: 'A', inputSchema: { type: 'object', properties: {} } },
      { name: 'b', description: 'B', inputSchema: { type: 'object', properties: {} } },
    ];
    const messages: Message[] = [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
      { role: 'assistant', content: 'four' },
      { role: 'user', content: 'five' },
    ];
    const withSystem = toAnthropicRequest(
      modelRequest({ systemPrompt: 'sys', messages, tools, promptCaching: true }),
    );
    expect(breakpoints(withSystem)).toEqual([
      '$.system[0]',
      '$.messages[2].content[0]',
      '$.messages[3].content[0]',
      '$.messages[4].content[0]',
    ]);
    const withoutSystem = toAnthropicRequest(
      modelRequest({ systemPrompt: '', messages, tools, promptCaching: true }),
    );
    expect(breakpoints(withoutSystem)).toEqual([
      '$.messages[2].content[0]',
      '$.messages[3].content[0]',
      '$.messages[4].content[0]',
      '$.tools[1]',
    ]);
  });

  it('never mutates the conversation it is given, and its output shares no objects with it', () => {
    const messages = deepFreeze(structuredClone(toolLoopConversation));
    const before = structuredClone(messages);
    const payload = toAnthropicRequest(
      modelRequest({ messages, promptCaching: true, systemPrompt: 'sys' }),
    );
    expect(messages).toEqual(before);
    const toolUse = payload.messages[1]?.content[0];
    if (toolUse?.type !== 'tool_use') throw new Error('expected a tool_use block');
    toolUse.input['city'] = 'London';
    expect(messages).toEqual(before);
  });

  it('copies every other [parameters] entry verbatim and keeps extra_headers apart', () => {
    const parameters = {
      max_tokens: 2048,
      temperature: 0.2,
      top_k: 5,
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tool_choice: { type: 'auto' },
      extra_headers: { 'anthropic-beta': 'token-efficient-tools-2025-02-19' },
    };
    const payload = toAnthropicRequest(modelRequest({ parameters }));
    expect(payload).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 2048,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      temperature: 0.2,
      top_k: 5,
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tool_choice: { type: 'auto' },
      extra_headers: { 'anthropic-beta': 'token-efficient-tools-2025-02-19' },
    });
    expect(payload['thinking']).not.toBe(parameters.thinking);
  });

  it('ignores [parameters] entries named after keys llmproc owns', () => {
    const payload = toAnthropicRequest(
      modelRequest({
        parameters: { model: 'other', system: 'other', messages: [], tools: [], stream: true },
      }),
    );
    expect(payload).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    });
  });

  it('rejects extra_headers that are not a table of strings', () => {
    expect(() => toAnthropicRequest(modelRequest({ parameters: { extra_headers: 'x' } }))).toThrow(
      /parameters\.extra_headers must be a table/,
    );
    expect(() =>
      toAnthropicRequest(modelRequest({ parameters: { extra_headers: { a: { b: 1 } } } })),
    ).toThrow(/parameters\.extra_headers\.a must be a string/);
  });

  it('marks the payload as streaming only when the run streams', () => {
    expect(toAnthropicRequest(modelRequest({ stream: true })).stream).toBe(true);
    expect(Object.keys(toAnthropicRequest(modelRequest({ stream: false })))).not.toContain(
      'stream',
    );
  });

  it('sends tools as {name, description, input_schema} only when there are any', () => {
    const recorded = recordedBody('tool-loop.1');
    const payload = toAnthropicRequest(modelRequest({ tools: toolSpecs(recorded) }));
    expect(payload.tools).toEqual(recorded.tools);
    expect(Object.keys(toAnthropicRequest(modelRequest({ tools: [] })))).not.toContain('tools');
  });
});

describe('toAnthropicMessages', () => {
  it('turns a tool loop into the recorded second request: tool_use, then the tool_result with the same id', () => {
    const recorded = recordedBody('tool-loop.2');
    expect(toAnthropicMessages(toolLoopConversation, { promptCaching: false })).toEqual(
      recorded.messages,
    );
  });

  it('answers parallel tool calls with all their results in one user message, as recorded', () => {
    const recorded = recordedBody('parallel-tool-loop.2');
    const ids = [
      ['toolu_0167cfEnoQaPviGdVXA95zcu', 'Alice', "alice is bob's wife"],
      ['toolu_01EEe2V5HD1Ac4rKiUR4HD2T', 'Bob', "bob is alice's husband"],
      ['toolu_01XFyAjstT3966qvRynZyVPo', 'Charlie', "charlie is alice's son"],
      [
        'toolu_013mnQZbgtK2oe3Mo3XKJsx3',
        'Daisy',
        "daisy is bob's daughter and charlie's younger sister",
      ],
    ] as const;
    const conversation: Message[] = [
      {
        role: 'user',
        content: 'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?',
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'text',
            text: "I'll help you find out who is the youngest by retrieving information about each family member. I'll retrieve their entity information to compare their ages.",
          },
          ...ids.map(([id, name]) => ({
            type: 'tool_use' as const,
            id,
            name: 'retrieve_entity_info',
            input: { name },
          })),
        ],
      },
      {
        role: 'user',
        content: ids.map(([id, , result]) => ({
          type: 'tool_result' as const,
          tool_use_id: id,
          content: result,
          is_error: false,
        })),
      },
    ];
    expect(toAnthropicMessages(conversation, { promptCaching: false })).toEqual(recorded.messages);
  });

  it('keeps signed thinking and redacted_thinking blocks, and drops thinking without a signature', () => {
    const messages: Message[] = [
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'step by step', signature: 'sig-1' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'thinking', thinking: 'from another provider' },
          { type: 'text', text: 'answer' },
        ],
      },
    ];
    expect(toAnthropicMessages(messages, { promptCaching: true })[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'step by step', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'answer', cache_control: { type: 'ephemeral' } },
      ],
    });
  });

  it('matches the recorded prompt-cache conversation, with a breakpoint on each of its three messages', () => {
    const recorded = recordedBody('prompt-cache.2');
    const texts = (recorded.messages as { content: { text: string }[]; role: string }[]).map(
      (m) => ({ role: m.role, text: m.content[0]?.text ?? '' }),
    );
    const conversation = texts.map(({ role, text }) => ({ role, content: text }) as Message);
    const converted = toAnthropicMessages(conversation, { promptCaching: true });
    expect(converted).toEqual(
      texts.map(({ role, text }) => ({
        role,
        content: [{ type: 'text', text, cache_control: { type: 'ephemeral' } }],
      })),
    );
  });
});

describe('successive model calls of one conversation', () => {
  const schema = { type: 'object', properties: { path: { type: 'string' } } };
  const tools: ToolSpec[] = [{ name: 'read', description: 'Reads a file', inputSchema: schema }];
  const turns: Message[] = [
    { role: 'user', content: 'Read a.txt' },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'a.txt' } }],
    },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'A', is_error: false }],
    },
    { role: 'assistant', content: [{ type: 'text', text: 'It says A. Next?' }] },
    { role: 'user', content: 'Now b.txt' },
  ];
  const cache: AnthropicConversions = new ConversionCache();
  const callFor = (messages: Message[]): AnthropicRequest =>
    toAnthropicRequest(modelRequest({ messages, tools, promptCaching: true }), cache);

  it('marks only the last three messages and the last tool of each call, though calls share their conversions', () => {
    const first = callFor(turns.slice(0, 3));
    const second = callFor(turns.slice(0, 5));
    const marked = (payload: AnthropicRequest): boolean[] =>
      payload.messages.map((m) => m.content.some((b) => 'cache_control' in b));
    expect(marked(first)).toEqual([true, false, true]);
    expect(marked(second)).toEqual([false, false, true, true, true]);
    // The first call's payload is as it was sent, after the second was built.
    expect(first.messages[0]?.content[0]).toEqual({
      type: 'text',
      text: 'Read a.txt',
      cache_control: { type: 'ephemeral' },
    });
    expect(first.tools?.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(second.tools?.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    // What did not change is converted once: the unmarked assistant turn is the same object.
    expect(second.messages[1]).toBe(first.messages[1]);
    expect(second.messages[0]).not.toBe(first.messages[0]);
  });

  it('never changes the conversation or the tool specs it converts', () => {
    const conversation = structuredClone(turns);
    const specs = structuredClone(tools);
    const payload = toAnthropicRequest(
      modelRequest({ messages: conversation, tools: specs, promptCaching: true }),
      new ConversionCache(),
    );
    const block = payload.messages[1]?.content[0];
    if (block?.type !== 'tool_use') throw new Error('expected the tool call');
    block.input['path'] = 'changed.txt';
    const tool = payload.tools?.[0];
    if (!tool) throw new Error('expected the tool');
    tool.input_schema['properties'] = {};
    expect(conversation).toEqual(turns);
    expect(specs).toEqual(tools);
  });
});

describe('toAnthropicCountTokensRequest', () => {
  it('counts the recorded system prompt and messages without cache markers', () => {
    const recorded = recordedBody('count-tokens');
    const text = (recorded.messages[0] as { content: { text: string }[] }).content[0]?.text ?? '';
    const body = toAnthropicCountTokensRequest(
      modelRequest({
        model: recorded.model,
        systemPrompt: recorded.system ?? '',
        messages: [{ role: 'user', content: text }],
        promptCaching: true,
      }),
    );
    expect(body).toEqual({
      model: recorded.model,
      system: recorded.system,
      messages: recorded.messages,
    });
  });

  it('counts an empty conversation as a single user "Hi"', () => {
    expect(toAnthropicCountTokensRequest(modelRequest({ messages: [] })).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
  });
});
