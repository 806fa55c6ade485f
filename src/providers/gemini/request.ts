/**
 * Pure mappers from the plain conversation (process/messages.ts) and a ModelRequest to the params of
 * `ai.models.generateContent({ model, contents, config })` of `@google/genai`.
 *
 * Thought signatures: Gemini 2.5/3 put an opaque `thoughtSignature` on some parts of a reply (on a
 * thought part, or on the text or functionCall part that follows the model's hidden thinking), and
 * Gemini 3 rejects a follow-up request whose function calls lack theirs. The plain state keeps a
 * signature as a `thinking` block:
 *   - a thought part            <-> `{ type: 'thinking', thinking: <thought text>, signature? }`
 *   - a signature on a text or functionCall part <-> `{ type: 'thinking', thinking: '', signature }`
 *     placed right before that text / tool_use block;
 *   - a signature on an empty text part (streams end with one) <-> such a block with nothing after
 *     it in the message.
 * So the loop must keep thinking blocks in state, in order, as it does for Anthropic.
 */
import type {
  Content,
  FunctionDeclaration,
  GenerateContentConfig,
  Part,
  ThinkingConfig,
  Tool,
} from '@google/genai';
import { LlmprocError } from '../../errors.js';
import type {
  DocumentBlock,
  ImageBlock,
  Message,
  ToolResultBlock,
} from '../../conversation/messages.js';
import { describeMedia, toolResultTextFor } from '../../conversation/media.js';
import { geminiMedia } from './media.js';
import type { ModelRequest, ToolSpec } from '../types.js';
import { isRecord } from '../../internal/is-record.js';
import { convertMessages, convertToolSpecs, type ConversionCache } from '../conversion-cache.js';

/**
 * The `api_request` payload: exactly the params handed to `generateContent`, plus `stream: true` when
 * the request streams (stripped before the SDK call, which then goes to `generateContentStream`).
 */
export type GeminiRequestPayload = {
  model: string;
  contents: Content[];
  config: GenerateContentConfig;
  stream?: true;
};

/** tool_use id -> tool name, from every assistant message (a functionResponse must name its function). */
export function toolNamesById(messages: readonly Message[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const block of message.content)
      if (block.type === 'tool_use') names.set(block.id, block.name);
  }
  return names;
}

function toFunctionResponsePart(block: ToolResultBlock, names: Map<string, string>): Part {
  const name = names.get(block.tool_use_id);
  if (name === undefined) {
    throw new LlmprocError(
      'CONVERSATION_INVALID',
      `gemini: tool_result for "${block.tool_use_id}" has no matching tool_use earlier in the conversation; ` +
        'Gemini needs the function name to send the result back',
    );
  }
  // Function responses go out as text (Gemini 3's multimodal function responses are not used yet).
  const text = toolResultTextFor(block, geminiMedia.label);
  return {
    // FunctionResponse is declared as a class but has no methods; the SDK serializes plain objects.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
    functionResponse: {
      id: block.tool_use_id,
      name,
      response: block.is_error ? { error: text } : { output: text },
    },
  };
}

/**
 * An image or document as a Gemini part: `inlineData` for bytes, `fileData` (which the API fetches)
 * for an https URL. The media type is always known: run() settles it before a part enters the state.
 */
export function toMediaPart(block: ImageBlock | DocumentBlock): Part {
  const { source } = block;
  if (source.type === 'base64')
    return { inlineData: { mimeType: source.media_type, data: source.data } };
  if (source.media_type === undefined)
    return { text: describeMedia(block, 'its media type is unknown') };
  return { fileData: { fileUri: source.url, mimeType: source.media_type } };
}

function toParts(message: Message, names: Map<string, string>): Part[] {
  if (typeof message.content === 'string') {
    return message.content === '' ? [] : [{ text: message.content }];
  }
  const parts: Part[] = [];
  if (message.role === 'user') {
    for (const block of message.content) {
      if (block.type === 'text') {
        if (block.text !== '') parts.push({ text: block.text });
      } else if (block.type === 'tool_result') {
        parts.push(toFunctionResponsePart(block, names));
      } else {
        parts.push(toMediaPart(block));
      }
    }
    return parts;
  }
  // A signature-only thinking block belongs to the next text or functionCall part.
  let pendingSignature: string | undefined;
  const withSignature = (part: Part): Part => {
    if (pendingSignature === undefined) return part;
    const signed = { ...part, thoughtSignature: pendingSignature };
    pendingSignature = undefined;
    return signed;
  };
  for (const block of message.content) {
    switch (block.type) {
      case 'thinking':
        if (block.thinking === '') {
          if (block.signature !== undefined && block.signature !== '')
            pendingSignature = block.signature;
        } else {
          const part: Part = { text: block.thinking, thought: true };
          if (block.signature !== undefined && block.signature !== '')
            part.thoughtSignature = block.signature;
          parts.push(part);
        }
        break;
      case 'text':
        if (block.text !== '') parts.push(withSignature({ text: block.text }));
        break;
      case 'tool_use':
        parts.push(
          withSignature({ functionCall: { id: block.id, name: block.name, args: block.input } }),
        );
        break;
      case 'redacted_thinking':
        // Anthropic's encrypted reasoning; meaningless to Gemini.
        break;
      default: {
        const unreachable: never = block;
        throw new Error(`unreachable block ${JSON.stringify(unreachable)}`);
      }
    }
  }
  // A signature with no part after it came on an empty text part (a stream's last chunk).
  if (pendingSignature !== undefined) parts.push({ text: '', thoughtSignature: pendingSignature });
  return parts;
}

/**
 * The conversation as Gemini `contents`: user -> role "user", assistant -> role "model". Tool results
 * become `functionResponse` parts `{ id, name, response: { output } | { error } }`, the name looked up
 * from the matching tool_use. Messages with nothing to send are skipped, and consecutive messages of
 * one role are merged into one content (Gemini wants all answers to parallel calls in one turn).
 */
export function toGeminiContents(
  messages: readonly Message[],
  cache?: GeminiConversions,
): Content[] {
  // Looked up only when a message is converted: with a cache, only the new ones are.
  let names: Map<string, string> | undefined;
  const convert = (message: Message): Part[] =>
    toParts(message, (names ??= toolNamesById(messages)));
  const converted = convertMessages(messages, convert, cache);
  const contents: Content[] = [];
  converted.forEach((parts, index) => {
    if (parts.length === 0) return;
    const role = messages[index]?.role === 'assistant' ? 'model' : 'user';
    const previous = contents.at(-1);
    if (previous?.role === role && previous.parts !== undefined) previous.parts.push(...parts);
    // A new array: a merge pushes into it, and the converted parts are shared with other calls.
    else contents.push({ role, parts: [...parts] });
  });
  return contents;
}

/** The conversions a Gemini adapter keeps between calls (providers/conversion-cache.ts). */
export type GeminiConversions = ConversionCache<readonly Part[], Tool>;

/** Tool specs as one Gemini tool of function declarations, the schema sent as raw JSON Schema. */
export function toGeminiTools(tools: readonly ToolSpec[]): Tool[] {
  if (tools.length === 0) return [];
  const functionDeclarations: FunctionDeclaration[] = tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parametersJsonSchema: tool.inputSchema,
  }));
  return [{ functionDeclarations }];
}

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** `[parameters].thinking` (Anthropic's shape) as a Gemini thinkingConfig. */
function toThinkingConfig(thinking: unknown): ThinkingConfig | undefined {
  if (!isRecord(thinking)) return undefined;
  if (thinking['type'] === 'disabled') return { thinkingBudget: 0 };
  const config: ThinkingConfig = { includeThoughts: true };
  const budget = thinking['budget_tokens'];
  if (typeof budget === 'number') config.thinkingBudget = budget;
  return config;
}

/** `[parameters].extra_headers` as string headers, or undefined when there are none. */
export function toExtraHeaders(
  parameters: Readonly<Record<string, unknown>>,
): Record<string, string> | undefined {
  const value = parameters['extra_headers'];
  if (!isRecord(value)) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) headers[name] = String(headerValue);
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** Parameters renamed to GenerateContentConfig fields; anything not here goes through camelCased. */
const renamedParameters = {
  max_tokens: 'maxOutputTokens',
  max_completion_tokens: 'maxOutputTokens',
  max_output_tokens: 'maxOutputTokens',
  stop: 'stopSequences',
  stop_sequences: 'stopSequences',
} satisfies Record<string, keyof GenerateContentConfig>;

function isRenamed(key: string): key is keyof typeof renamedParameters {
  return Object.hasOwn(renamedParameters, key);
}

/**
 * `[parameters]` as GenerateContentConfig fields:
 * - `max_tokens` (or `max_completion_tokens`, `max_output_tokens`) -> `maxOutputTokens`;
 *   `stop` / `stop_sequences` -> `stopSequences` (a single string becomes a one-item list);
 * - `temperature` as is; `top_p` -> `topP`, `top_k` -> `topK`, and every other key camelCased
 *   (`frequency_penalty` -> `frequencyPenalty`, `seed`, `response_mime_type`, ...). The SDK only
 *   sends the GenerateContentConfig fields it knows and silently drops the rest;
 * - `thinking = { type = "enabled", budget_tokens = N }` -> `thinkingConfig { thinkingBudget: N,
 *   includeThoughts: true }` (thought summaries come back as thinking blocks); `type = "disabled"`
 *   -> `{ thinkingBudget: 0 }`; `type = "adaptive"` -> `{ includeThoughts: true }` (the model picks the
 *   budget). An explicit `thinking_config` table wins over `thinking`;
 * - `extra_headers` -> `httpOptions.headers` (the SDK's per-request headers; not credentials);
 * - `reasoning_effort` is OpenAI's and is not sent (the loader already warns about it).
 */
export function toGeminiConfigParameters(
  parameters: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const thinkingConfig = toThinkingConfig(parameters['thinking']);
  if (thinkingConfig !== undefined) config['thinkingConfig'] = thinkingConfig;
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined || key === 'thinking' || key === 'reasoning_effort') continue;
    if (key === 'extra_headers') {
      const headers = toExtraHeaders(parameters);
      if (headers !== undefined) config['httpOptions'] = { headers };
      continue;
    }
    if (isRenamed(key)) {
      const target = renamedParameters[key];
      config[target] = target === 'stopSequences' && typeof value === 'string' ? [value] : value;
      continue;
    }
    config[snakeToCamel(key)] = value;
  }
  return config;
}

/**
 * The full generateContent params of a request. `config` holds the mapped parameters, then
 * `systemInstruction` (the system prompt as a string, only when non-empty) and `tools` (only when
 * there are any); these two win over parameters of the same name.
 */
export function buildGeminiRequest(
  request: ModelRequest,
  cache?: GeminiConversions,
): GeminiRequestPayload {
  // Free-form [parameters] are passed through untyped by design; the SDK picks the fields it knows.
  const config = toGeminiConfigParameters(request.parameters) as GenerateContentConfig;
  if (request.systemPrompt !== '') config.systemInstruction = request.systemPrompt;
  const tools = convertToolSpecs(request.tools, toGeminiTools, cache);
  if (tools.length > 0) config.tools = tools;
  if (request.output) {
    // Structured output: JSON mode with the schema as JSON Schema (`responseJsonSchema`, which takes
    // standard JSON Schema, unlike the OpenAPI-subset `responseSchema`). Gemini 2.5 and later accept
    // it together with function tools.
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = structuredClone(request.output.schema);
  }
  const payload: GeminiRequestPayload = {
    model: request.model,
    contents: toGeminiContents(request.messages, cache),
    config,
  };
  if (request.stream) payload.stream = true;
  return payload;
}
