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

/**
 * Bytes carried in the conversation itself, base64-encoded (so a saved state is plain JSON), with the
 * media type they were checked to be.
 */
export interface Base64Source {
  type: 'base64';
  media_type: string;
  data: string;
}

/**
 * An https URL the provider fetches itself (llmproc never downloads it). `media_type` is what the
 * user gave or the URL's extension says; Anthropic does not take it, Gemini needs it.
 */
export interface UrlSource {
  type: 'url';
  url: string;
  media_type?: string;
}

export type MediaSource = Base64Source | UrlSource;

/** An image the user sent (a `run()` part) or a tool returned, in Anthropic's block shape. */
export interface ImageBlock {
  type: 'image';
  source: MediaSource;
}

/**
 * A document (PDF) the user sent, in Anthropic's block shape. `title` is its file name (the part's
 * `filename`, else the path's base name): Anthropic shows it to the model, OpenAI requires one.
 */
export interface DocumentBlock {
  type: 'document';
  source: MediaSource;
  title?: string;
}

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error: boolean;
  /**
   * Images the tool returned beside its text (an MCP tool's image content). Sent as images where the
   * provider takes them in tool results, else described in a placeholder text (docs/input.md).
   * An llmproc addition to Anthropic's shape, which puts them in a `content` block list.
   */
  images?: ImageBlock[];
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
export type UserBlock = TextBlock | ToolResultBlock | ImageBlock | DocumentBlock;

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
