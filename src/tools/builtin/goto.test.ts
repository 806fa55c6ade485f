import { describe, expect, it } from 'vitest';
import type { Message } from '../../conversation/messages.js';
import { createGotoTool, gotoTool } from './goto.js';
import type { GotoTarget, TimeTravelEntry } from '../types.js';
import { callTool, fakeContext } from './tool-harness.test-helper.js';

/** A conversation holder standing in for the process. */
class FakeConversation implements GotoTarget {
  readonly history: TimeTravelEntry[] = [];
  constructor(public messages: Message[]) {}
  getMessages(): readonly Message[] {
    return this.messages;
  }
  replaceMessages(messages: Message[]): void {
    this.messages = messages;
  }
  recordTimeTravel(entry: TimeTravelEntry): void {
    this.history.push(entry);
  }
}

/** user, assistant, user, assistant, user: msg_0 ... msg_4, msg_4 being the current input. */
function conversation(): FakeConversation {
  return new FakeConversation([
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: [{ type: 'text', text: 'first answer' }] },
    { role: 'user', content: [{ type: 'text', text: 'fix the warnings' }] },
    { role: 'assistant', content: 'fixed' },
    { role: 'user', content: 'now compact' },
  ]);
}

function goto(
  target: FakeConversation,
  args: Record<string, unknown>,
): ReturnType<typeof callTool> {
  return callTool(gotoTool, args, fakeContext({ timeTravel: target }));
}

describe('goto tool', () => {
  it('refuses a position not in msg_N form (B97)', async () => {
    const target = conversation();
    const result = await goto(target, { position: '3', message: 'x' });
    expect(result.toJSON()).toEqual({
      content: "Invalid message ID: 3. Must be in format 'msg_X' where X is a message number.",
      isError: true,
      abortExecution: false,
    });
    expect(target.messages).toHaveLength(5);
  });

  it('refuses an index past the end, naming the range (B98)', async () => {
    const result = await goto(conversation(), { position: 'msg_9', message: 'x' });
    expect(result.contentText()).toBe(
      'Could not find message with ID: msg_9. Available IDs range from msg_0 to msg_4.',
    );
    expect((await goto(conversation(), { position: 'msg_x', message: 'x' })).contentText()).toBe(
      'Could not find message with ID: msg_x. Available IDs range from msg_0 to msg_4.',
    );
  });

  it('refuses to go to the last message (B99)', async () => {
    const result = await goto(conversation(), { position: 'msg_4', message: 'x' });
    expect(result.toJSON()).toEqual({
      content: 'Cannot go forward in time. Message msg_4 is at or beyond the current point.',
      isError: true,
      abortExecution: false,
    });
  });

  it('cuts the conversation before the target, adds the time-travel message and aborts (B100)', async () => {
    const target = conversation();
    const result = await goto(target, {
      position: 'msg_2',
      message: 'Warnings fixed; next the other issue.',
    });
    expect(result.toJSON()).toEqual({
      content: 'Conversation reset to message msg_2. Added time travel message.',
      isError: false,
      abortExecution: true,
    });
    expect(target.messages).toEqual([
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: [{ type: 'text', text: 'first answer' }] },
      {
        role: 'user',
        content:
          '<system_message> GOTO tool used. Conversation reset to message msg_2. 2 messages were removed. </system_message>\n' +
          '<original_message_to_be_ignored>\nfix the warnings\n</original_message_to_be_ignored>\n' +
          '<time_travel_message>\nWarnings fixed; next the other issue.\n</time_travel_message>',
      },
    ]);
  });

  it('records each use in the time-travel history', async () => {
    const target = conversation();
    await goto(target, { position: 'msg_0', message: 'restart' });
    expect(target.history).toEqual([
      {
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        fromMessageCount: 5,
        toMessageCount: 1,
        positionReference: 'msg_0',
      },
    ]);
  });

  it('only cuts the conversation when the message is empty', async () => {
    const target = conversation();
    const result = await goto(target, { position: 'msg_1', message: '' });
    expect(result.toJSON()).toEqual({
      content: 'Conversation reset to message msg_1.',
      isError: false,
      abortExecution: true,
    });
    expect(target.messages).toEqual([{ role: 'user', content: 'first question' }]);
  });

  it('joins the note to a user message left at the end, so turns still alternate', async () => {
    const target = conversation();
    await goto(target, { position: 'msg_1', message: 'again' });
    expect(target.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'first question' },
          {
            type: 'text',
            text:
              '<system_message> GOTO tool used. Conversation reset to message msg_1. 3 messages were removed. </system_message>\n' +
              '<original_message_to_be_ignored>\nfirst answer\n</original_message_to_be_ignored>\n' +
              '<time_travel_message>\nagain\n</time_travel_message>',
          },
        ],
      },
    ]);
  });

  it('fails plainly in a process that offers no conversation to rewind', async () => {
    const result = await callTool(gotoTool, { position: 'msg_0', message: 'x' }, fakeContext({}));
    expect(result.contentText()).toBe('The goto tool is not available in this process');
    const custom = createGotoTool(() => undefined);
    expect((await callTool(custom, { position: 'msg_0', message: 'x' })).isError).toBe(true);
  });

  it('is a read-level tool requiring position and message', () => {
    expect(gotoTool.access).toBe('read');
    expect(gotoTool.inputSchema['required']).toEqual(['position', 'message']);
  });
});
