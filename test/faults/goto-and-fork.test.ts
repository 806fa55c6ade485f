/**
 * Item 1 of the hardening issue: goto to any message and fork from any point leave a valid
 * conversation; fork with nothing to copy is refused with a clear error.
 */
import { describe, expect, it } from 'vitest';
import { LLMProgram } from '../../src/index.js';
import type { Message } from '../../src/conversation/messages.js';
import { expectValidConversation, expectValidMessages } from '../support/conversation-invariant.js';
import { failOnUnhandledRejections } from '../support/unhandled-rejections.js';

failOnUnhandledRejections();

/** Two runs of a tool loop (one with two parallel calls): 8 messages, tool results at 2 and 6. */
async function conversationWithToolResults(): Promise<Message[]> {
  const proc = await new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['calculator'],
    mock: {
      turns: [
        { toolCalls: [{ name: 'calculator', args: { expression: '6*7' } }] },
        { text: '42.' },
        {
          text: 'Both at once.',
          toolCalls: [
            { name: 'calculator', args: { expression: '1+1' } },
            { name: 'calculator', args: { expression: '2+2' } },
          ],
        },
        { text: '2 and 4.' },
      ],
    },
  }).start();
  await proc.run('What is 6*7?');
  await proc.run('And 1+1, 2+2?');
  const state = proc.getState();
  await proc.close();
  return state;
}

function gotoProgram(position: string, message: string): LLMProgram {
  return new LLMProgram({
    model: 'mock',
    provider: 'mock',
    tools: ['goto', 'calculator'],
    mock: { turns: [{ toolCalls: [{ name: 'goto', args: { position, message } }] }] },
  });
}

describe('goto', () => {
  it('to any message, with or without a time-travel message, leaves a valid conversation', async () => {
    const state = await conversationWithToolResults();
    expect(state).toHaveLength(8);
    expect(state.map((m) => m.role).join(',')).toBe(
      'user,assistant,user,assistant,user,assistant,user,assistant',
    );
    // Every message of the conversation, the current input (msg_8) being the one goto cannot reach.
    for (let index = 0; index < state.length; index++) {
      for (const message of ['Back to the start of that.', '']) {
        const proc = await gotoProgram(`msg_${String(index)}`, message).start({ state });
        const result = await proc.run('Go back.');
        expect(result.toolCalls).toEqual([
          { toolName: 'goto', args: { position: `msg_${String(index)}`, message } },
        ]);
        expect(proc.timeTravelHistory, `goto msg_${String(index)}`).toHaveLength(1);
        expectValidMessages(proc.getState(), `after goto msg_${String(index)} "${message}"`);
        await expectValidConversation(proc);
        await proc.close();
      }
    }
  });

  it('to a message of tool results keeps the results and replaces only what followed them', async () => {
    const state = await conversationWithToolResults();
    const proc = await gotoProgram('msg_6', 'Computed both; say so.').start({ state });
    await proc.run('Compact this.');
    const after = proc.getState();
    expect(after.slice(0, 6)).toEqual(state.slice(0, 6));
    const last = after[6];
    expect(last?.role).toBe('user');
    const blocks = typeof last?.content === 'string' ? [] : (last?.content ?? []);
    expect(blocks.map((b) => b.type)).toEqual(['tool_result', 'tool_result', 'text']);
    expect(blocks[0]).toEqual(
      typeof state[6]?.content === 'string' ? undefined : state[6]?.content[0],
    );
    expect(blocks[2]?.type === 'text' ? blocks[2].text : '').toContain(
      '<time_travel_message>\nComputed both; say so.\n</time_travel_message>',
    );
    await expectValidConversation(proc);
    await proc.close();
  });
});

describe('fork', () => {
  it('called outside a model turn on an empty conversation is refused with a clear error', async () => {
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['fork'],
    }).start({ accessLevel: 'admin' });
    const result = await proc.callTool('fork', { prompts: ['do a thing'] });
    expect(result.isError).toBe(true);
    expect(result.contentText()).toBe(
      'fork needs a conversation to copy, and this process has none yet: run() it first, or let the model call fork',
    );
    expect(proc.getState()).toEqual([]);
    await expectValidConversation(proc);
    await proc.close();
  });

  it('called outside a model turn copies the conversation as it is, so each child stays valid', async () => {
    const state = await conversationWithToolResults();
    const children: Message[][] = [];
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['fork'],
      mock: { turns: [], fallbackText: 'child done' },
    }).start({ accessLevel: 'admin', state });
    proc.addCallback({
      turn_end: (child) => {
        if (child !== proc) children.push(child.getState());
      },
    });
    const result = await proc.callTool('fork', { prompts: ['first goal', 'second goal'] });
    expect(result.isError).toBe(false);
    expect(JSON.parse(result.contentText())).toEqual([
      { id: 0, message: 'child done' },
      { id: 1, message: 'child done' },
    ]);
    expect(children).toHaveLength(2);
    for (const child of children) {
      expect(child.slice(0, 8)).toEqual(state);
      expectValidMessages(child, 'a fork child');
    }
    expect(proc.getState()).toEqual(state);
    await expectValidConversation(proc);
    await proc.close();
  });

  it('called by the model leaves parent and children valid', async () => {
    const children: Message[][] = [];
    const proc = await new LLMProgram({
      model: 'mock',
      provider: 'mock',
      tools: ['fork', 'calculator'],
      mock: {
        turns: [
          {
            toolCalls: [
              { name: 'calculator', args: { expression: '1+1' } },
              { name: 'fork', args: { prompts: ['check it'] } },
            ],
          },
          { when: 'check it', text: 'checked' },
          { text: 'all done' },
        ],
      },
    }).start({ accessLevel: 'admin' });
    proc.addCallback({
      turn_end: (child) => {
        if (child !== proc) children.push(child.getState());
      },
    });
    await proc.run('Work in parallel.');
    expect(children).toHaveLength(1);
    expectValidMessages(children[0], 'the fork child');
    await expectValidConversation(proc);
    await proc.close();
  });
});
