import type { Message, UserBlock } from '../conversation/messages.js';

/**
 * Append the user's input (a text, or the blocks of a multi-part input) to a conversation. When the
 * conversation already ends with a user message (tool results of a loop stopped by max_iterations,
 * or a fork child's "you are the child" result), the input joins that message: the APIs want user and
 * assistant turns to alternate. Messages are replaced, never mutated, so a shallow copy of the array
 * is a snapshot.
 */
export function appendUserInput(state: Message[], input: string | readonly UserBlock[]): void {
  const last = state.at(-1);
  if (last?.role !== 'user') {
    state.push({ role: 'user', content: typeof input === 'string' ? input : [...input] });
    return;
  }
  const previous: UserBlock[] =
    typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
  const added: readonly UserBlock[] =
    typeof input === 'string' ? [{ type: 'text', text: input }] : input;
  state[state.length - 1] = { role: 'user', content: [...previous, ...added] };
}
