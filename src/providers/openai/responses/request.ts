/**
 * The plain conversation (conversation/messages.ts) and a ModelRequest as OpenAI Responses API request
 * params (the response side is response.ts). Used for reasoning models that ask for reasoning (see
 * models.ts).
 *
 * Reasoning round trip: each `reasoning` output item becomes a plain `thinking` block whose `thinking`
 * is the item's summary text ("" when no summary was asked for) and whose `signature` is an opaque JSON
 * text holding the item id and `encrypted_content` (see reasoning-signature.ts). Sent back in
 * the same place in the next request, it lets the model keep its reasoning across tool calls without the
 * API storing anything (`store: false`, `include: ["reasoning.encrypted_content"]`).
 */
import type {
  EasyInputMessage,
  FunctionTool,
  ResponseFunctionCallOutputItem,
  ResponseInputContent,
  ResponseInputItem,
  ResponseInputText,
  ResponseReasoningItem,
} from 'openai/resources/responses/responses';
import type {
  AssistantBlock,
  ImageBlock,
  Message,
  ThinkingBlock,
  ToolResultBlock,
} from '../../../conversation/messages.js';
import { dataUrl, describeMedia, toolImageProblem } from '../../../conversation/media.js';
import type { ModelRequest, ToolSpec } from '../../types.js';
import { fileNameOf, isAllText, splitUserBlocks, type GivenBlock } from '../mapping-helpers.js';
import { isRecord } from '../../../internal/is-record.js';
import { openAiResponsesMedia } from '../media.js';
import { decodeReasoningSignature } from './reasoning-signature.js';
import { convertMessages, convertToolSpecs, type ConversionCache } from '../../conversion-cache.js';

/**
 * Request keys the adapter owns or rewrites; `[parameters]` entries with these names are not copied.
 * `messages` too: the Responses API has no such field, and `doGenerate` tells the APIs apart by it.
 */
const ownedKeys = new Set([
  'messages',
  'model',
  'instructions',
  'input',
  'tools',
  'stream',
  'reasoning',
  'reasoning_effort',
  'max_tokens',
  'max_completion_tokens',
]);

/**
 * A Responses API `api_request` payload. Every other `[parameters]` entry (reasoning, store,
 * include, extra_headers, ...) is copied in verbatim, hence the index signature.
 */
export type ResponsesRequest = {
  model: string;
  instructions?: string;
  input: ResponseInputItem[];
  tools?: FunctionTool[];
  stream?: true;
  [parameter: string]: unknown;
};

/**
 * The params for `client.responses.create` (or `.stream`):
 * `{ model, instructions?, input, tools?, reasoning?, max_output_tokens?, ...[parameters], store, include, stream? }`.
 * - The system prompt is `instructions` (omitted when empty).
 * - `reasoning_effort` becomes `reasoning.effort`, merged under a `[parameters].reasoning` table (whose
 *   own keys, e.g. `summary`, win); `max_tokens` / `max_completion_tokens` become `max_output_tokens`.
 * - `store: false` and `include: ["reasoning.encrypted_content"]` unless `[parameters]` set them: the
 *   conversation is sent whole every time, so nothing needs to be kept on OpenAI's side, and encrypted
 *   reasoning is what carries the model's reasoning to the next call.
 * - Every other `[parameters]` entry passes through; `extra_headers` stays in the payload under that key
 *   and `doGenerate` sends it as headers.
 */
export function buildResponsesRequest(
  request: ModelRequest,
  cache?: ResponsesConversions,
): ResponsesRequest {
  const parameters = request.parameters;
  const payload: ResponsesRequest = {
    model: request.model,
    ...(request.systemPrompt === '' ? {} : { instructions: request.systemPrompt }),
    input: toResponsesInput(request.messages, cache),
  };
  if (request.tools.length > 0)
    payload.tools = convertToolSpecs(request.tools, toResponsesTools, cache);

  const reasoningTable = isRecord(parameters['reasoning']) ? parameters['reasoning'] : {};
  const effort = parameters['reasoning_effort'];
  const reasoning = effort === undefined ? reasoningTable : { effort, ...reasoningTable };
  if (Object.keys(reasoning).length > 0) payload['reasoning'] = reasoning;
  const maxTokens = parameters['max_tokens'] ?? parameters['max_completion_tokens'];
  if (maxTokens !== undefined) payload['max_output_tokens'] = maxTokens;

  for (const [key, value] of Object.entries(parameters)) {
    if (ownedKeys.has(key) || value === undefined) continue;
    payload[key] = value;
  }
  payload['store'] ??= false;
  payload['include'] ??= ['reasoning.encrypted_content'];
  if (request.output) {
    // Structured output: `text.format` json_schema; other `text` settings (verbosity) are kept.
    const text = isRecord(payload['text']) ? payload['text'] : {};
    const { name, schema, strict } = request.output;
    payload['text'] = { ...text, format: { type: 'json_schema', name, schema, strict } };
  }
  if (request.stream) payload.stream = true;
  return payload;
}

/**
 * Our tool specs as Responses function tools. `strict: false`: the Responses API otherwise defaults to
 * strict schemas, which reject ordinary JSON Schemas (optional properties, no `additionalProperties`).
 */
export function toResponsesTools(tools: readonly ToolSpec[]): FunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.inputSchema,
    strict: false,
  }));
}

/**
 * The plain conversation as Responses input items, in order.
 * - User text: a `{ role: 'user', content }` message. A user message's tool_result blocks become
 *   `function_call_output` items (`call_id` = the tool_use id) placed before its text blocks, as for
 *   Chat Completions.
 * - Assistant text: `{ role: 'assistant', content }` (consecutive text blocks make one message);
 *   tool_use: a `function_call` item (`call_id`, `name`, `arguments` as JSON text); a thinking block
 *   made by this adapter: the `reasoning` item it came from (id, summary, encrypted_content). Other
 *   thinking blocks (another provider's) and redacted_thinking are dropped, as is a reasoning item with
 *   nothing after it in its message (the API rejects reasoning without the item it led to). Item ids of
 *   messages and function calls are not sent: with `store: false` the API cannot look them up.
 */
export function toResponsesInput(
  messages: readonly Message[],
  cache?: ResponsesConversions,
): ResponseInputItem[] {
  return convertMessages(messages, toResponsesItems, cache).flat();
}

/** The conversions a Responses adapter keeps between calls (providers/conversion-cache.ts). */
export type ResponsesConversions = ConversionCache<readonly ResponseInputItem[], FunctionTool>;

/** The input items one plain message becomes (see {@link toResponsesInput}). */
function toResponsesItems(message: Message): ResponseInputItem[] {
  if (message.role === 'user') {
    if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
    const { toolResults, given } = splitUserBlocks(message.content);
    const items: ResponseInputItem[] = toolResults.map((result) => ({
      type: 'function_call_output',
      call_id: result.tool_use_id,
      output: toFunctionCallOutput(result),
    }));
    if (given.length > 0) {
      items.push(
        isAllText(given)
          ? userMessage(given.map((block) => block.text))
          : { role: 'user', content: given.map(toResponsesContent) },
      );
    }
    return items;
  }
  if (typeof message.content === 'string') return [{ role: 'assistant', content: message.content }];
  return toAssistantItems(message.content);
}

function toInputImage(block: ImageBlock): ResponseFunctionCallOutputItem & ResponseInputContent {
  return { type: 'input_image', image_url: dataUrl(block.source), detail: 'auto' };
}

/**
 * A user text, image or document as Responses input content: `input_text`, `input_image` (a data:
 * URL or the https URL, `detail: "auto"`), `input_file` (inline `file_data` with a `filename`, or a
 * `file_url`).
 */
export function toResponsesContent(block: GivenBlock): ResponseInputContent {
  switch (block.type) {
    case 'text':
      return { type: 'input_text', text: block.text };
    case 'image':
      return toInputImage(block);
    case 'document':
      return block.source.type === 'url'
        ? { type: 'input_file', file_url: block.source.url }
        : { type: 'input_file', file_data: dataUrl(block.source), filename: fileNameOf(block) };
    default: {
      const unreachable: never = block;
      return unreachable;
    }
  }
}

/** A tool's answer: its text, or its text and images as `function_call_output` content items. */
function toFunctionCallOutput(result: ToolResultBlock): string | ResponseFunctionCallOutputItem[] {
  const images = result.images ?? [];
  if (images.length === 0) return result.content;
  const text: ResponseFunctionCallOutputItem[] =
    result.content === '' ? [] : [{ type: 'input_text', text: result.content }];
  return [
    ...text,
    ...images.map((image): ResponseFunctionCallOutputItem => {
      const problem = toolImageProblem(image, openAiResponsesMedia);
      return problem === undefined
        ? toInputImage(image)
        : { type: 'input_text', text: describeMedia(image, problem) };
    }),
  ];
}

function userMessage(texts: readonly string[]): EasyInputMessage {
  if (texts.length === 1 && texts[0] !== undefined) return { role: 'user', content: texts[0] };
  const content: ResponseInputText[] = texts.map((text) => ({ type: 'input_text', text }));
  return { role: 'user', content };
}

function toAssistantItems(blocks: readonly AssistantBlock[]): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  let pendingText: string[] = [];
  const flushText = (): void => {
    if (pendingText.length === 0) return;
    items.push({ role: 'assistant', content: pendingText.join('') });
    pendingText = [];
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'text':
        pendingText.push(block.text);
        break;
      case 'tool_use':
        flushText();
        items.push({
          type: 'function_call',
          call_id: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input),
        });
        break;
      case 'thinking': {
        flushText();
        const item = toReasoningItem(block);
        if (item) items.push(item);
        break;
      }
      case 'redacted_thinking':
        break;
      default: {
        const unreachable: never = block;
        throw new Error(`unknown assistant block ${JSON.stringify(unreachable)}`);
      }
    }
  }
  flushText();
  while (items.at(-1)?.type === 'reasoning') items.pop();
  return items;
}

function toReasoningItem(block: ThinkingBlock): ResponseReasoningItem | undefined {
  const decoded = decodeReasoningSignature(block.signature);
  if (!decoded) return undefined;
  const item: ResponseReasoningItem = {
    type: 'reasoning',
    id: decoded.id,
    summary: block.thinking === '' ? [] : [{ type: 'summary_text', text: block.thinking }],
  };
  if (decoded.encrypted_content !== null) item.encrypted_content = decoded.encrypted_content;
  return item;
}
