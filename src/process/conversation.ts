import type { Message, UserBlock } from '../conversation/messages.js';

/**
 * Append the user's input to a conversation. When the conversation already ends with a user message
 * (tool results of a loop stopped by max_iterations, or a fork child's "you are the child" result),
 * the input joins that message as a text block: the APIs want user and assistant turns to alternate.
 * Messages are replaced, never mutated, so a shallow copy of the array is a snapshot.
 */
export function appendUserInput(state: Message[], text: string): void {
  const last = state.at(-1);
  if (last?.role !== 'user') {
    state.push({ role: 'user', content: text });
    return;
  }
  const previous: UserBlock[] =
    typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
  state[state.length - 1] = { role: 'user', content: [...previous, { type: 'text', text }] };
}
