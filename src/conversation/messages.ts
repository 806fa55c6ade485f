/**
 * The conversation as llmproc stores it: plain JSON in the shape of the Anthropic Messages API,
 * whatever the provider. Adapters convert to and from their own formats, so `getState()` can be
 * saved, compared and restored without SDK class instances.
 */
export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error: boolean;
}

/** Model reasoning kept so that the next request can send it back (Anthropic requires this). */
export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature?: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export type AssistantBlock = TextBlock | ToolUseBlock | ThinkingBlock | RedactedThinkingBlock;
export type UserBlock = TextBlock | ToolResultBlock;

export interface UserMessage {
  role: 'user';
  content: string | UserBlock[];
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | AssistantBlock[];
}

export type Message = UserMessage | AssistantMessage;

/** Text of a message: a string as is, text blocks joined by a space (as the original does). */
export function messageText(message: Message): string {
  if (typeof message.content === 'string') return message.content;
  const texts: string[] = [];
  for (const block of message.content) if (block.type === 'text') texts.push(block.text);
  return texts.join(' ');
}

/** The latest user-typed text (not tool results) in a conversation, or "" when there is none. */
export function latestUserText(messages: readonly Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    const text = messageText(message);
    if (text !== '') return text;
  }
  return '';
}
