/**
 * Pure mappers from llmproc's plain request (providers/types.ts, process/messages.ts) to the Anthropic
 * Messages API request body. Nothing here talks to the network or imports the SDK at run time, so
 * every rule (prompt caching, thinking blocks, parameters) is tested directly.
 */
import type {
  ContentBlockParam,
  MessageCountTokensParams,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool,
} from '@anthropic-ai/sdk/resources';
import { LlmprocError } from '../../errors.js';
import { copyJson } from '../../internal/copy-json.js';
import type {
  AssistantBlock,
  DocumentBlock,
  ImageBlock,
  Message,
  ToolResultBlock,
  UserBlock,
} from '../../conversation/messages.js';
import { describeMedia, toolImageProblem } from '../../conversation/media.js';
import { anthropicMedia } from './media.js';
import type { ModelRequest, ToolSpec } from '../types.js';
import { isRecord } from '../../internal/is-record.js';
import { convertMessages, convertToolSpecs, type ConversionCache } from '../conversion-cache.js';

/**
 * `max_tokens` sent when `[parameters]` has none. The API requires the field; llmproc 0.9.2 sent
 * nothing and so failed at the first call. 4096 is the smallest ceiling every current Claude model
 * accepts.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/** How many trailing messages get a prompt-cache breakpoint (as the original does). */
export const CACHED_MESSAGE_COUNT = 3;

/** Key under which `[parameters].extra_headers` travel in the payload; stripped before the SDK call. */
export const EXTRA_HEADERS_KEY = 'extra_headers';

export interface CacheControl {
  type: 'ephemeral';
}

export type AnthropicTextParam = { type: 'text'; text: string; cache_control?: CacheControl };
export type AnthropicToolUseParam = {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
};
export type AnthropicImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
export type AnthropicImageParam = {
  type: 'image';
  source:
    { type: 'base64'; media_type: AnthropicImageType; data: string } | { type: 'url'; url: string };
};
export type AnthropicDocumentParam = {
  type: 'document';
  source:
    { type: 'base64'; media_type: 'application/pdf'; data: string } | { type: 'url'; url: string };
  title?: string;
};
export type AnthropicToolResultParam = {
  type: 'tool_result';
  tool_use_id: string;
  content: string | (AnthropicTextParam | AnthropicImageParam)[];
  is_error: boolean;
  cache_control?: CacheControl;
};
export type AnthropicThinkingParam = { type: 'thinking'; thinking: string; signature: string };
export type AnthropicRedactedThinkingParam = { type: 'redacted_thinking'; data: string };
export type AnthropicContentParam =
  | AnthropicTextParam
  | AnthropicImageParam
  | AnthropicDocumentParam
  | AnthropicToolUseParam
  | AnthropicToolResultParam
  | AnthropicThinkingParam
  | AnthropicRedactedThinkingParam;

export type AnthropicMessageParam = {
  role: 'user' | 'assistant';
  content: AnthropicContentParam[];
};

export type AnthropicToolParam = {
  name: string;
  description: string;
  input_schema: { type: 'object'; [keyword: string]: unknown };
  cache_control?: CacheControl;
};

/**
 * The `api_request` payload: the body of `POST /v1/messages` plus, under `extra_headers`, the
 * configured per-request HTTP headers. Every other `[parameters]` entry (temperature, thinking,
 * top_k, stop_sequences, tool_choice, ...) is copied in verbatim, hence the index signature.
 */
export type AnthropicRequest = {
  model: string;
  max_tokens: number;
  system?: string | AnthropicTextParam[];
  messages: AnthropicMessageParam[];
  tools?: AnthropicToolParam[];
  stream?: true;
  extra_headers?: Record<string, string>;
  [parameter: string]: unknown;
};

/** The body of `POST /v1/messages/count_tokens`. */
export type AnthropicCountTokensRequest = {
  model: string;
  system?: string;
  messages: AnthropicMessageParam[];
  tools?: AnthropicToolParam[];
};

// Compile-time checks that our wire types are ones the SDK accepts: if the SDK's param types drift
// away from what we send, these lines stop compiling.
type Assert<T extends true> = T;
export type WireTypeChecks = [
  Assert<AnthropicContentParam extends ContentBlockParam ? true : false>,
  Assert<AnthropicMessageParam extends MessageParam ? true : false>,
  Assert<AnthropicToolParam extends Tool ? true : false>,
  Assert<
    Pick<AnthropicRequest, 'model' | 'max_tokens' | 'messages' | 'tools'> extends Pick<
      MessageCreateParamsNonStreaming,
      'model' | 'max_tokens' | 'messages' | 'tools'
    >
      ? true
      : false
  >,
  Assert<AnthropicCountTokensRequest extends MessageCountTokensParams ? true : false>,
];

/** `[parameters].effort`, sent as `output_config.effort` (the Messages API's place for it). */
const EFFORT_KEY = 'effort';

/**
 * Keys of the request that llmproc owns: a `[parameters]` entry with one of these names is not
 * copied (the system prompt comes from `[prompt]`, tools from `[tools]`, streaming from the run).
 */
const OWNED_KEYS: ReadonlySet<string> = new Set([
  'model',
  'max_tokens',
  'system',
  'messages',
  'tools',
  'stream',
  EXTRA_HEADERS_KEY,
  EFFORT_KEY,
]);

function ephemeral(): CacheControl {
  return { type: 'ephemeral' };
}

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function isAnthropicImageType(type: string): type is AnthropicImageType {
  return anthropicMedia.imageTypes.includes(type);
}

/**
 * An image block as the API takes it, or a placeholder text for one it cannot take (a type checked
 * for another provider, in a state carried over).
 */
export function toAnthropicImage(block: ImageBlock): AnthropicImageParam | AnthropicTextParam {
  const { source } = block;
  if (source.type === 'url') return { type: 'image', source: { type: 'url', url: source.url } };
  if (isAnthropicImageType(source.media_type))
    return {
      type: 'image',
      source: { type: 'base64', media_type: source.media_type, data: source.data },
    };
  return {
    type: 'text',
    text: describeMedia(block, `anthropic does not take ${source.media_type}`),
  };
}

function toAnthropicDocument(block: DocumentBlock): AnthropicDocumentParam | AnthropicTextParam {
  const { source } = block;
  const title = block.title === undefined ? {} : { title: block.title };
  if (source.type === 'url')
    return { type: 'document', source: { type: 'url', url: source.url }, ...title };
  if (source.media_type === 'application/pdf')
    return {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: source.data },
      ...title,
    };
  return {
    type: 'text',
    text: describeMedia(block, `anthropic does not take ${source.media_type}`),
  };
}

/** A tool result: its text, and after it the images the tool returned (as the API takes them). */
function toAnthropicToolResult(block: ToolResultBlock): AnthropicToolResultParam {
  const images = block.images ?? [];
  const content: AnthropicToolResultParam['content'] =
    images.length === 0
      ? block.content
      : [
          ...(block.content.trim() === '' ? [] : [{ type: 'text' as const, text: block.content }]),
          ...images.map((image) => {
            const problem = toolImageProblem(image, anthropicMedia);
            return problem === undefined
              ? toAnthropicImage(image)
              : { type: 'text' as const, text: describeMedia(image, problem) };
          }),
        ];
  return { type: 'tool_result', tool_use_id: block.tool_use_id, content, is_error: block.is_error };
}

/**
 * One plain block in the API's format, or null for a block the API would reject: a `thinking` block
 * without a signature (for instance reasoning recorded by another provider) cannot be sent back.
 */
export function toAnthropicBlock(block: UserBlock | AssistantBlock): AnthropicContentParam | null {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return {
        type: 'tool_use',
        id: block.id,
        name: block.name,
        input: copyJson(block.input),
      };
    case 'tool_result':
      return toAnthropicToolResult(block);
    case 'image':
      return toAnthropicImage(block);
    case 'document':
      return toAnthropicDocument(block);
    case 'thinking':
      if (block.signature === undefined || block.signature === '') return null;
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    default: {
      const unreachable: never = block;
      throw new LlmprocError(
        'CONVERSATION_INVALID',
        `anthropic: unknown content block type ${JSON.stringify(unreachable)}`,
      );
    }
  }
}

/** One plain message as an API message whose content is always a block list (caching needs blocks). */
export function toAnthropicMessage(message: Message): AnthropicMessageParam {
  if (typeof message.content === 'string') {
    return { role: message.role, content: [{ type: 'text', text: message.content }] };
  }
  const blocks: AnthropicContentParam[] = [];
  for (const block of message.content) {
    const converted = toAnthropicBlock(block);
    if (converted) blocks.push(converted);
  }
  // The API rejects blank text blocks; drop them unless nothing else would be left to send.
  const nonBlank = blocks.filter((b) => b.type !== 'text' || !isBlank(b.text));
  return { role: message.role, content: nonBlank.length > 0 ? nonBlank : blocks };
}

/**
 * Marks the first non-blank text block or tool_result block of each of the last `count` messages
 * with `cache_control: ephemeral`, as llmproc 0.9.2 does. Messages with no such block (an assistant
 * reply made only of tool calls) get no breakpoint. Replaces those messages in `messages` (which must
 * be the caller's own array) by marked copies: the converted messages themselves are shared with
 * other model calls' payloads (see {@link toAnthropicMessages}) and are never changed.
 */
export function markMessagesForCaching(
  messages: AnthropicMessageParam[],
  count = CACHED_MESSAGE_COUNT,
): void {
  // The same messages as slice(-count) picks (count 0: every message, as slice(-0) does).
  for (
    let index = messages.length - messages.slice(-count).length;
    index < messages.length;
    index++
  ) {
    const message = messages[index] as AnthropicMessageParam;
    const at = message.content.findIndex(
      (block) => (block.type === 'text' && !isBlank(block.text)) || block.type === 'tool_result',
    );
    if (at === -1) continue;
    const content = [...message.content];
    content[at] = {
      ...(content[at] as AnthropicTextParam | AnthropicToolResultParam),
      cache_control: ephemeral(),
    };
    messages[index] = { role: message.role, content };
  }
}

/** The conversions an Anthropic adapter keeps between calls (see providers/conversion-cache.ts). */
export type AnthropicConversions = ConversionCache<AnthropicMessageParam, AnthropicToolParam>;

/**
 * The conversation in the API's format. The caller's messages (the process state) are never
 * mutated, whatever is done to the result. With a `cache`, the converted messages are shared with
 * the payloads of the conversation's other model calls (each call's array is its own, and a message
 * marked for caching is a copy).
 */
export function toAnthropicMessages(
  messages: readonly Message[],
  options: { promptCaching: boolean; cache?: AnthropicConversions | undefined },
): AnthropicMessageParam[] {
  const converted = convertMessages(messages, toAnthropicMessage, options.cache);
  if (options.promptCaching) markMessagesForCaching(converted);
  return converted;
}

function toAnthropicToolParams(tools: readonly ToolSpec[]): AnthropicToolParam[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    // The API requires an object schema; tool schemas are objects, this only makes the type explicit.
    input_schema: { ...copyJson(tool.inputSchema), type: 'object' as const },
  }));
}

/**
 * The tools in the API's format, a new array each call. With a `cache`, its tool objects are shared
 * with the other calls' payloads while the specs stay the same list.
 */
export function toAnthropicTools(
  tools: readonly ToolSpec[],
  cache?: AnthropicConversions,
): AnthropicToolParam[] {
  return convertToolSpecs(tools, toAnthropicToolParams, cache);
}

/** `[parameters].extra_headers` as string headers, or undefined when there are none. */
export function toExtraHeaders(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    throw new LlmprocError(
      'INVALID_OPTION',
      `anthropic: parameters.extra_headers must be a table of header names to values; got ${JSON.stringify(value)}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (headerValue === undefined || headerValue === null) continue;
    if (typeof headerValue === 'string') {
      headers[name] = headerValue;
    } else if (typeof headerValue === 'number' || typeof headerValue === 'boolean') {
      headers[name] = String(headerValue);
    } else {
      throw new LlmprocError(
        'INVALID_OPTION',
        `anthropic: parameters.extra_headers.${name} must be a string, number or boolean; got ${Array.isArray(headerValue) ? 'an array' : typeof headerValue}`,
      );
    }
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

function toMaxTokens(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_MAX_TOKENS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new LlmprocError(
    'INVALID_OPTION',
    `anthropic: parameters.max_tokens must be a non-negative integer; got ${JSON.stringify(value)}`,
  );
}

/**
 * The `POST /v1/messages` request for one model call:
 *
 * - `model`, `max_tokens` (`[parameters].max_tokens`, else {@link DEFAULT_MAX_TOKENS});
 * - `system`, omitted when the prompt is blank (0.9.2 sent `null`, bug 15). With prompt caching on it
 *   is a one-block array carrying `cache_control`, so the system prompt (and the tools before it in
 *   the cache prefix) is cached, as the original's docs promised but its code never did;
 * - `messages`, always block lists; with caching on, the last three get a breakpoint each;
 * - `tools`, only when there are any. The last tool is marked only when caching is on and there is no
 *   system prompt: the API allows four breakpoints, system + three messages already use them, and the
 *   system breakpoint covers the tools anyway (the cache prefix is tools, then system, then messages);
 * - every other `[parameters]` entry verbatim (temperature, thinking, top_k, stop_sequences, ...);
 *   `effort` goes to `output_config.effort`, beside any `output_config` table the program sets;
 *   entries named like a key llmproc owns (`model`, `system`, `messages`, `tools`, `stream`) are not;
 * - `stream: true` when the run streams;
 * - `extra_headers`: the configured HTTP headers (such as `anthropic-beta` for token-efficient tools),
 *   sent as request headers, not in the body.
 */
export function toAnthropicRequest(
  request: ModelRequest,
  cache?: AnthropicConversions,
): AnthropicRequest {
  const parameters = request.parameters;
  const hasSystem = !isBlank(request.systemPrompt);
  let system: AnthropicRequest['system'];
  if (hasSystem) {
    system = request.promptCaching
      ? [{ type: 'text', text: request.systemPrompt, cache_control: ephemeral() }]
      : request.systemPrompt;
  }
  // Built in this key order so that the payload reads like the API reference in api_request logs.
  const payload: AnthropicRequest = {
    model: request.model,
    max_tokens: toMaxTokens(parameters['max_tokens']),
    ...(system === undefined ? {} : { system }),
    messages: toAnthropicMessages(request.messages, {
      promptCaching: request.promptCaching,
      cache,
    }),
  };
  if (request.tools.length > 0) {
    const tools = toAnthropicTools(request.tools, cache);
    const last = tools.length - 1;
    const lastTool = tools[last];
    // A marked copy: the converted tools are shared with the other calls' payloads.
    if (request.promptCaching && !hasSystem && lastTool)
      tools[last] = { ...lastTool, cache_control: ephemeral() };
    payload.tools = tools;
  }
  for (const [key, value] of Object.entries(parameters)) {
    if (OWNED_KEYS.has(key) || value === undefined) continue;
    payload[key] = copyJson(value);
  }
  const effort = parameters[EFFORT_KEY];
  if (effort !== undefined) {
    const existing = payload['output_config'];
    payload['output_config'] = { ...(isRecord(existing) ? existing : {}), effort };
  }
  if (request.stream) payload.stream = true;
  const headers = toExtraHeaders(parameters[EXTRA_HEADERS_KEY]);
  if (headers) payload.extra_headers = headers;
  return payload;
}

/**
 * The `POST /v1/messages/count_tokens` request for a conversation: system prompt, messages and tools,
 * without cache markers (they do not change the count). The endpoint needs at least one message, so
 * an empty conversation is counted with a user "Hi", as the original always adds.
 */
export function toAnthropicCountTokensRequest(request: ModelRequest): AnthropicCountTokensRequest {
  const messages = toAnthropicMessages(request.messages, { promptCaching: false });
  if (messages.length === 0)
    messages.push({ role: 'user', content: [{ type: 'text', text: 'Hi' }] });
  const body: AnthropicCountTokensRequest = { model: request.model, messages };
  if (!isBlank(request.systemPrompt)) body.system = request.systemPrompt;
  if (request.tools.length > 0) body.tools = toAnthropicTools(request.tools);
  return body;
}
