/**
 * Pure mappers between the plain conversation (process/messages.ts) and the OpenAI Chat Completions API:
 * request params out, `ChatCompletion` in. SDK responses arrive as `unknown` and are parsed with zod.
 */
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPartText,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { z } from '../../internal/zod.js';
import { ProviderError } from '../../errors.js';
import type { AssistantBlock, Message } from '../../conversation/messages.js';
import type { ModelRequest, ModelResponse, ToolSpec, Usage } from '../types.js';
import { parseToolArguments, splitUserBlocks, toAnthropicUsage } from './mapping-helpers.js';
import { isReasoningModel } from './models.js';

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
export function buildChatRequest(request: ModelRequest): ChatRequest {
  const payload: ChatRequest = {
    model: request.model,
    messages: toChatMessages(request.systemPrompt, request.messages),
  };
  if (request.tools.length > 0) payload['tools'] = toChatTools(request.tools);
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
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (systemPrompt !== '') out.push({ role: 'system', content: systemPrompt });
  for (const message of messages) {
    if (message.role === 'user') {
      if (typeof message.content === 'string') {
        out.push({ role: 'user', content: message.content });
        continue;
      }
      const { toolResults, texts } = splitUserBlocks(message.content);
      for (const result of toolResults) {
        out.push({ role: 'tool', tool_call_id: result.tool_use_id, content: result.content });
      }
      if (texts.length > 0) out.push({ role: 'user', content: textContent(texts) });
    } else {
      out.push(toChatAssistantMessage(message.content));
    }
  }
  return out;
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

/** One text as a string; several as text parts, so nothing is joined with a separator we made up. */
function textContent(texts: readonly { text: string }[]): string | ChatCompletionContentPartText[] {
  if (texts.length === 1 && texts[0] !== undefined) return texts[0].text;
  return texts.map((block) => ({ type: 'text', text: block.text }));
}

const chatUsageSchema = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z
    .object({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
    .nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).nullish(),
});

const chatCompletionSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.object({
      finish_reason: z.string().nullish(),
      message: z.object({
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z
          .array(
            z.object({
              id: z.string(),
              type: z.string().nullish(),
              function: z.object({ name: z.string(), arguments: z.string() }).nullish(),
            }),
          )
          .nullish(),
      }),
    }),
  ),
  usage: chatUsageSchema.nullish(),
});

/**
 * Chat usage in Anthropic's meaning, so RunResult totals mean the same for every provider:
 * - inputTokens = prompt_tokens - cached_tokens - cache_write_tokens (OpenAI's prompt_tokens includes
 *   the cached and cache-written parts; Anthropic's input_tokens excludes both);
 * - cacheReadTokens = prompt_tokens_details.cached_tokens; cacheWriteTokens = its cache_write_tokens;
 * - outputTokens = completion_tokens (reasoning included, as Anthropic's output_tokens includes thinking);
 * - reasoningTokens = completion_tokens_details.reasoning_tokens (a part of outputTokens).
 */
export function fromChatUsage(usage: z.infer<typeof chatUsageSchema> | null | undefined): Usage {
  return toAnthropicUsage({
    input: usage?.prompt_tokens,
    output: usage?.completion_tokens,
    cacheRead: usage?.prompt_tokens_details?.cached_tokens,
    cacheWrite: usage?.prompt_tokens_details?.cache_write_tokens,
    reasoning: usage?.completion_tokens_details?.reasoning_tokens,
  });
}

const chatStopReasons = {
  stop: 'end_turn',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  length: 'max_tokens',
  content_filter: 'content_filter',
} satisfies Record<string, string>;

/**
 * `finish_reason` in Anthropic's vocabulary: stop -> end_turn, tool_calls -> tool_use, length ->
 * max_tokens, content_filter stays; anything else is kept as sent. A reply that calls tools is
 * `tool_use` even when the model said `stop` (some models and compatible servers do).
 */
export function fromChatFinishReason(
  finishReason: string | null | undefined,
  hasToolCalls: boolean,
): string | null {
  if (finishReason === null || finishReason === undefined) return hasToolCalls ? 'tool_use' : null;
  const mapped = Object.hasOwn(chatStopReasons, finishReason)
    ? chatStopReasons[finishReason as keyof typeof chatStopReasons]
    : finishReason;
  return mapped === 'end_turn' && hasToolCalls ? 'tool_use' : mapped;
}

/**
 * A `ChatCompletion` (or the one `finalChatCompletion()` assembles from a stream) as a ModelResponse:
 * the first choice's text (a refusal counts as text: it is what the model says) then its function tool
 * calls, each with the API's call id as `tool_use.id` and its arguments parsed.
 */
export function fromChatCompletion(raw: unknown): ModelResponse {
  const parsed = chatCompletionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProviderError(
      `openai API returned an unexpected chat completion: ${z.prettifyError(parsed.error)}`,
      { provider: 'openai', cause: parsed.error },
    );
  }
  const completion = parsed.data;
  const choice = completion.choices[0];
  const content: AssistantBlock[] = [];
  const text = choice?.message.content ?? choice?.message.refusal ?? '';
  if (text !== '') content.push({ type: 'text', text });
  for (const call of choice?.message.tool_calls ?? []) {
    if (!call.function) continue; // a custom (non-function) tool call; we define none
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments, call.function.name),
    });
  }
  const hasToolCalls = content.some((block) => block.type === 'tool_use');
  // A refusal comes with finish_reason "stop"; `refusal` tells structured output not to retry it.
  const refused = !hasToolCalls && !choice?.message.content && !!choice?.message.refusal;
  return {
    id: completion.id ?? null,
    model: completion.model ?? '',
    content,
    stopReason: refused ? 'refusal' : fromChatFinishReason(choice?.finish_reason, hasToolCalls),
    usage: fromChatUsage(completion.usage),
  };
}
