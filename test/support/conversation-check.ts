/**
 * THE invariant, checked on a conversation: it starts with a user message, roles alternate, no
 * assistant message is empty, and every tool call is answered, once, in the next user message.
 */
import { expect } from 'vitest';
import type { Message } from '../../src/index.js';

export function conversationProblems(messages: readonly Message[]): string[] {
  const problems: string[] = [];
  if (messages.length > 0 && messages[0]?.role !== 'user')
    problems.push('does not start with user');
  messages.forEach((message, i) => {
    const previous = messages[i - 1];
    if (previous?.role === message.role)
      problems.push(`messages ${String(i - 1)} and ${String(i)} are both ${message.role}`);
    const blocks = typeof message.content === 'string' ? [] : message.content;
    if (message.role === 'assistant') {
      if (message.content.length === 0) problems.push(`assistant message ${String(i)} is empty`);
      const calls = blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
      if (calls.length === 0) return;
      const next = messages[i + 1];
      const answered =
        next && typeof next.content !== 'string'
          ? next.content.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : []))
          : [];
      if (next === undefined) problems.push(`tool calls of message ${String(i)} are not answered`);
      else if ([...answered].sort().join() !== [...calls].sort().join())
        problems.push(
          `message ${String(i + 1)} answers ${answered.join()} for calls ${calls.join()}`,
        );
    }
  });
  return problems;
}

export function expectValidConversation(messages: readonly Message[]): void {
  expect(conversationProblems(messages)).toEqual([]);
}
