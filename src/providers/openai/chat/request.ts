/**
 * The plain conversation (conversation/messages.ts) and a ModelRequest as OpenAI Chat Completions
 * request params (the response side is response.ts).
 */
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { AssistantBlock, Message } from '../../../conversation/messages.js';
import type { ModelRequest, ToolSpec } from '../../types.js';
import { dataUrl, describeMedia, toolResultTextFor } from '../../../conversation/media.js';
import { fileNameOf, isAllText, splitUserBlocks, type GivenBlock } from '../mapping-helpers.js';
import { openAiChatMedia } from '../media.js';
import { isReasoningModel } from '../models.js';
import { convertMessages, convertToolSpecs, type ConversionCache } from '../../conversion-cache.js';

/**
 * Request keys the adapter owns; the same names in `[parameters]` are ignored. `input` too: it would make
 * the payload look like a Responses request to `doGenerate`, and Chat Completions has no such field.
 */
const ownedKeys = new Set(['model', 'messages', 'tools', 'stream', 'stream_options', 'input']);

/**
 * A Chat Completions `api_request` payload. Every other `[parameters]` entry (temperature,
 * reasoning_effort, extra_headers, ...) is copied in verbatim, hence the index signature.
 */
export type ChatRequest = {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionFunctionTool[];
  stream?: true;
  stream_options?: { include_usage: true };
  [parameter: string]: unknown;
};

/**
 * The params for `client.chat.completions.create` (or `.stream`), as the original builds them (spec 4.2),
 * plus tools: `{ model, messages, tools?, ...[parameters], stream?, stream_options? }`.
 * - The system prompt is the first message, role `system` (see {@link toChatMessages}).
 * - `[parameters]` pass through, except (B76): for reasoning models `max_tokens` is sent as
 *   `max_completion_tokens`; for other models `reasoning_effort` is removed.
 * - `extra_headers` stays in the payload under that key; `doGenerate` strips it and sends it as headers.
 * - Streaming adds `stream: true` and `stream_options: { include_usage: true }` (usage arrives in the
 *   last chunk only when asked for).
 */
export function buildChatRequest(request: ModelRequest, cache?: ChatConversions): ChatRequest {
  const payload: ChatRequest = {
    model: request.model,
    messages: toChatMessages(request.systemPrompt, request.messages, cache),
  };
  if (request.tools.length > 0)
    payload['tools'] = convertToolSpecs(request.tools, toChatTools, cache);
  const reasoningModel = isReasoningModel(request.model);
  for (const [key, value] of Object.entries(request.parameters)) {
    if (ownedKeys.has(key) || value === undefined) continue;
    if (key === 'reasoning_effort' && !reasoningModel) continue;
    if (key === 'max_tokens' && reasoningModel) {
      payload['max_completion_tokens'] = value;
      continue;
    }
    payload[key] = value;
  }
  if (request.output) {
    const { name, schema, strict } = request.output;
    payload['response_format'] = { type: 'json_schema', json_schema: { name, strict, schema } };
  }
  if (request.stream) {
    payload.stream = true;
    payload.stream_options = { include_usage: true };
  }
  return payload;
}

/** Our tool specs as Chat Completions function tools. */
export function toChatTools(tools: readonly ToolSpec[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
}

/**
 * The plain conversation as Chat Completions messages.
 * - A non-empty system prompt becomes the first message with role `system`. Not `developer`: the API
 *   accepts `system` from every model and treats it as `developer` for reasoning models, while o1-mini
 *   rejects `developer` (fixture openai-chat/error-400-invalid-request).
 * - A user message's tool_result blocks become one `role: 'tool'` message each (`tool_call_id`,
 *   `content`), and its text blocks, if any, then one user message after them: tool messages must
 *   directly follow the assistant message that called the tools. `is_error` has no Chat equivalent;
 *   the result text (e.g. "Tool 'x' error: ...") says it.
 * - An assistant message's text blocks become `content` and its tool_use blocks `tool_calls`
 *   (arguments as JSON text). Thinking blocks are dropped: Chat Completions takes no reasoning back.
 */
export function toChatMessages(
  systemPrompt: string,
  messages: readonly Message[],
  cache?: ChatConversions,
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (systemPrompt !== '') out.push({ role: 'system', content: systemPrompt });
  for (const items of convertMessages(messages, toChatMessageItems, cache)) out.push(...items);
  return out;
}

/** The conversions a Chat Completions adapter keeps between calls (providers/conversion-cache.ts). */
export type ChatConversions = ConversionCache<
  readonly ChatCompletionMessageParam[],
  ChatCompletionFunctionTool
>;

/** The Chat Completions messages one plain message becomes (see {@link toChatMessages}). */
function toChatMessageItems(message: Message): ChatCompletionMessageParam[] {
  if (message.role !== 'user') return [toChatAssistantMessage(message.content)];
  if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
  const { toolResults, given } = splitUserBlocks(message.content);
  const items: ChatCompletionMessageParam[] = toolResults.map((result) => ({
    role: 'tool',
    tool_call_id: result.tool_use_id,
    content: toolResultTextFor(result, openAiChatMedia.label),
  }));
  if (given.length > 0) {
    items.push({
      role: 'user',
      content: isAllText(given) ? textContent(given) : given.map(toChatContentPart),
    });
  }
  return items;
}

function toChatAssistantMessage(
  content: string | readonly AssistantBlock[],
): ChatCompletionAssistantMessageParam {
  if (typeof content === 'string') return { role: 'assistant', content };
  const texts: { text: string }[] = [];
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of content) {
    if (block.type === 'text') texts.push(block);
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input) },
      });
    }
  }
  if (toolCalls.length === 0) {
    return { role: 'assistant', content: texts.length === 0 ? '' : textContent(texts) };
  }
  return {
    role: 'assistant',
    content: texts.length === 0 ? null : textContent(texts),
    tool_calls: toolCalls,
  };
}

/**
 * A user text, image or document as a Chat Completions content part: `image_url` (a data: URL or the
 * https URL), `file` with inline `file_data` and a `filename`. The API has no URL form for files;
 * run() refuses such a part for this API, so one only arrives in a state made for another provider,
 * and is sent as a placeholder text rather than dropped.
 */
export function toChatContentPart(block: GivenBlock): ChatCompletionContentPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image_url', image_url: { url: dataUrl(block.source) } };
    case 'document':
      if (block.source.type === 'url')
        return {
          type: 'text',
          text: describeMedia(block, `${openAiChatMedia.label} takes no document URLs`),
        };
      return {
        type: 'file',
        file: { file_data: dataUrl(block.source), filename: fileNameOf(block) },
      };
    default: {
      const unreachable: never = block;
      return unreachable;
    }
  }
}

/** One text as a string; several as text parts, so nothing is joined with a separator we made up. */
function textContent(texts: readonly { text: string }[]): string | ChatCompletionContentPartText[] {
  if (texts.length === 1 && texts[0] !== undefined) return texts[0].text;
  return texts.map((block) => ({ type: 'text', text: block.text }));
}
