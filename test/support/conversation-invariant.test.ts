import { describe, expect, it } from 'vitest';
import { LLMProgram } from '../../src/index.js';
import type { Message } from '../../src/conversation/messages.js';
import {
  conversationProblems,
  expectValidConversation,
  expectValidMessages,
  unsendableValues,
} from './conversation-invariant.js';

const call = (id: string): Message => ({
  role: 'assistant',
  content: [
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id, name: 'calculator', input: { expression: '1+1' } },
  ],
});
const answer = (...ids: string[]): Message => ({
  role: 'user',
  content: ids.map((id) => ({
    type: 'tool_result',
    tool_use_id: id,
    content: '2',
    is_error: false,
  })),
});

const toolLoop: Message[] = [
  { role: 'user', content: 'What is 1+1?' },
  call('toolu_1'),
  answer('toolu_1'),
  {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'It is 2.', signature: 'sig' },
      { type: 'text', text: '2.' },
    ],
  },
];

describe('conversationProblems', () => {
  it('accepts a tool loop, an empty conversation and one that ends with tool results', () => {
    expect(conversationProblems(toolLoop)).toEqual([]);
    expect(conversationProblems([])).toEqual([]);
    expect(conversationProblems(toolLoop.slice(0, 3))).toEqual([]);
  });

  it('reports a tool call cut from its result, at the end and in the middle', () => {
    expect(conversationProblems(toolLoop.slice(0, 2))).toEqual([
      'message 1: tool calls toolu_1 have no result (conversation ends)',
    ]);
    expect(
      conversationProblems([toolLoop[0], call('toolu_1'), { role: 'user', content: 'go on' }]),
    ).toEqual(['message 2: tool call "toolu_1" of message 1 has no result here']);
  });

  it('reports a result that answers a call the previous message did not make', () => {
    expect(conversationProblems([answer('toolu_9'), { role: 'assistant', content: 'ok' }])).toEqual(
      ['message 0 block 0: tool_result for "toolu_9", which the previous message did not call'],
    );
  });

  it('reports empty messages, blank text, wrong order and a conversation that starts with the model', () => {
    expect(
      conversationProblems([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [] },
      ]),
    ).toEqual(['message 1: empty assistant message (no blocks)']);
    expect(
      conversationProblems([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'text', text: ' ' }] },
      ]),
    ).toEqual(['message 1 block 0: blank text block', 'message 1: empty assistant message']);
    expect(
      conversationProblems([
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ]),
    ).toEqual(['message 1: two user messages in a row']);
    expect(conversationProblems([{ role: 'assistant', content: 'hello' }])).toEqual([
      'message 0: the conversation starts with assistant',
    ]);
    expect(
      conversationProblems([
        toolLoop[0],
        call('toolu_1'),
        {
          role: 'user',
          content: [
            { type: 'text', text: 'and then' },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '2', is_error: false },
          ],
        },
      ]),
    ).toEqual(['message 2 block 1: tool_result after text (results must come first)']);
  });

  it('accepts images and documents (user parts, tool images) and reports one without sendable data', () => {
    const image = {
      type: 'image' as const,
      source: { type: 'base64' as const, media_type: 'image/png', data: 'iVBORw0KGgo=' },
    };
    const withParts: Message[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.' },
          image,
          { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
        ],
      },
      call('toolu_1'),
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: '',
            is_error: false,
            images: [image],
          },
        ],
      },
    ];
    expectValidMessages(withParts);
    const broken = [
      {
        role: 'user',
        content: [
          {
            type: 'image',
            source: { type: 'base64', media_type: 'image/png', data: 'not base64!' },
          },
          { type: 'document', source: { type: 'url', url: 'http://example.com/a.pdf' } },
        ],
      },
    ];
    expect(conversationProblems(broken)).toEqual([
      'message 0 block 0: base64 source whose data is not base64 text',
      'message 0 block 1: url source without an https URL',
    ]);
  });

  it('reports values that are not plain JSON, with their path', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(
      unsendableValues({ a: undefined, b: () => 1, c: cyclic, d: new Date(0), e: NaN, f: [1n] }),
    ).toEqual([
      '.a: undefined',
      '.b: function',
      '.c.self: cycle',
      '.d: instance of Date',
      '.e: non-finite number NaN',
      '.f[0]: bigint',
    ]);
    const state = structuredClone(toolLoop);
    const block = state[1]?.content[1];
    if (typeof block === 'object' && block.type === 'tool_use') block.input = { x: undefined };
    expect(conversationProblems(state)).toEqual([
      'not plain JSON: state[1].content[1].input.x: undefined',
    ]);
  });

  it("checks each provider's wire format: an unsigned empty thinking block sends nothing", () => {
    const problems = conversationProblems([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: '' }] },
      { role: 'user', content: 'again' },
    ]);
    expect(problems).toContain('anthropic: message 1 is empty');
    expect(problems).toContain('openai-chat: assistant message 1 has no content and no tool calls');
  });
});

describe('expectValidConversation', () => {
  it('passes after a tool-using run on the mock and proves the process runs again', async () => {
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['calculator'],
      mock: {
        turns: [
          { toolCalls: [{ name: 'calculator', args: { expression: '6*7' } }] },
          { text: '42' },
        ],
      },
    }).start();
    await proc.run('What is 6*7?');
    const again = await expectValidConversation(proc);
    expect(again?.apiCalls).toBe(1);
    expect(proc.getState()).toHaveLength(6);
    await proc.close();
  });

  it('fails on a process whose saved state cuts a tool call from its result', async () => {
    const proc = await new LLMProgram({ model: 'mock', provider: 'mock' }).start({
      state: toolLoop.slice(0, 2),
    });
    await expect(expectValidConversation(proc)).rejects.toThrow(/toolu_1 have no result/);
    expect(() => {
      expectValidMessages(proc.getState());
    }).toThrow(/have no result/);
    await proc.close();
  });
});
