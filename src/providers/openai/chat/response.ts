/**
 * The OpenAI Chat Completions response (`ChatCompletion`, or the one the stream assembles) as a
 * ModelResponse. SDK responses arrive as `unknown` and are parsed with zod.
 */
import { z } from '../../../internal/zod.js';
import { ProviderError } from '../../../errors.js';
import type { AssistantBlock } from '../../../conversation/messages.js';
import type { ModelResponse, Usage } from '../../types.js';
import { parseToolArguments, toAnthropicUsage } from '../mapping-helpers.js';

const chatUsageSchema = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z
    .object({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
    .nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).nullish(),
  // OpenAI-compatible servers that count cache hits their own way: DeepSeek, Mistral.
  prompt_cache_hit_tokens: z.number().nullish(),
  num_cached_tokens: z.number().nullish(),
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
        // The visible reasoning of OpenAI-compatible servers: DeepSeek's `reasoning_content`; Groq,
        // Ollama and OpenRouter's `reasoning` (a string, or null).
        reasoning_content: z.unknown().optional(),
        reasoning: z.unknown().optional(),
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
 * - cacheReadTokens = prompt_tokens_details.cached_tokens (DeepSeek's prompt_cache_hit_tokens, Mistral's
 *   num_cached_tokens where a compatible server counts them so); cacheWriteTokens = cache_write_tokens;
 * - outputTokens = completion_tokens (reasoning included, as Anthropic's output_tokens includes thinking);
 * - reasoningTokens = completion_tokens_details.reasoning_tokens (a part of outputTokens).
 */
export function fromChatUsage(usage: z.infer<typeof chatUsageSchema> | null | undefined): Usage {
  return toAnthropicUsage({
    input: usage?.prompt_tokens,
    output: usage?.completion_tokens,
    cacheRead:
      usage?.prompt_tokens_details?.cached_tokens ||
      usage?.prompt_cache_hit_tokens ||
      usage?.num_cached_tokens,
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

/** The reasoning text a compatible server sends beside the answer, or "". */
function visibleReasoning(
  message: { reasoning_content?: unknown; reasoning?: unknown } | undefined,
): string {
  const value = message?.reasoning_content ?? message?.reasoning;
  return typeof value === 'string' ? value : '';
}

/**
 * A `ChatCompletion` (or the one `finalChatCompletion()` assembles from a stream) as a ModelResponse:
 * the reasoning an OpenAI-compatible server shows (DeepSeek, Groq, Ollama) as a thinking block, the
 * first choice's text (a refusal counts as text: it is what the model says) then its function tool
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
  const reasoning = visibleReasoning(choice?.message);
  // Kept for the user to read; Chat requests never send thinking back (DeepSeek refuses it).
  if (reasoning !== '') content.push({ type: 'thinking', thinking: reasoning });
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
