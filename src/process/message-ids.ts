import type { Message } from '../conversation/messages.js';

/**
 * Copies of the messages with each user message's text prefixed "[msg_N] " (N its index), so the
 * model can name a point of the conversation to the goto tool. The stored conversation is unchanged.
 */
export function withMessageIds(messages: readonly Message[]): Message[] {
  return messages.map((message, index) => {
    if (message.role !== 'user') return message;
    const prefix = `[msg_${String(index)}] `;
    if (typeof message.content === 'string')
      return { role: 'user', content: prefix + message.content };
    const at = message.content.findIndex((block) => block.type === 'text');
    if (at === -1) return message;
    const content = message.content.map((block, i) =>
      i === at && block.type === 'text'
        ? { type: 'text' as const, text: prefix + block.text }
        : block,
    );
    return { role: 'user', content };
  });
}
