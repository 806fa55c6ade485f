/**
 * An OpenAI Responses API `Response` (or the one `finalResponse()` assembles from a stream) as a
 * ModelResponse. SDK responses arrive as `unknown` and are parsed with zod; reasoning items become
 * thinking blocks (see reasoning-signature.ts).
 */
import { z } from '../../../internal/zod.js';
import { ProviderError } from '../../../errors.js';
import type { AssistantBlock } from '../../../conversation/messages.js';
import type { ModelResponse, Usage } from '../../types.js';
import { parseToolArguments, toAnthropicUsage } from '../mapping-helpers.js';
import { encodeReasoningSignature } from './reasoning-signature.js';

const responseUsageSchema = z.object({
  input_tokens: z.number().nullish(),
  input_tokens_details: z
    .object({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
    .nullish(),
  output_tokens: z.number().nullish(),
  output_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).nullish(),
});

const textListSchema = z.array(z.object({ text: z.string() })).nullish();

const messageItemSchema = z.object({
  type: z.literal('message'),
  content: z.array(
    z.object({ type: z.string(), text: z.string().nullish(), refusal: z.string().nullish() }),
  ),
});
const functionCallItemSchema = z.object({
  type: z.literal('function_call'),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
});
const reasoningItemSchema = z.object({
  type: z.literal('reasoning'),
  id: z.string(),
  summary: textListSchema,
  content: textListSchema,
  encrypted_content: z.string().nullish(),
});

const responseSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  status: z.string().nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
  incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
  // Only message, function_call and reasoning items matter here; others (built-in tools) are skipped.
  output: z.array(z.looseObject({ type: z.string() })),
  usage: responseUsageSchema.nullish(),
});

/**
 * Responses usage in Anthropic's meaning (as for Chat Completions):
 * - inputTokens = input_tokens - cached_tokens - cache_write_tokens (OpenAI counts both inside
 *   input_tokens; Anthropic's input_tokens excludes them);
 * - cacheReadTokens = input_tokens_details.cached_tokens; cacheWriteTokens = its cache_write_tokens;
 * - outputTokens = output_tokens (reasoning included); reasoningTokens = output_tokens_details.reasoning_tokens.
 */
export function fromResponseUsage(
  usage: z.infer<typeof responseUsageSchema> | null | undefined,
): Usage {
  return toAnthropicUsage({
    input: usage?.input_tokens,
    output: usage?.output_tokens,
    cacheRead: usage?.input_tokens_details?.cached_tokens,
    cacheWrite: usage?.input_tokens_details?.cache_write_tokens,
    reasoning: usage?.output_tokens_details?.reasoning_tokens,
  });
}

const incompleteReasons = {
  max_output_tokens: 'max_tokens',
  content_filter: 'content_filter',
} satisfies Record<string, string>;

/**
 * A Response's status in Anthropic's vocabulary: completed -> tool_use when it holds function calls,
 * else end_turn; incomplete -> its `incomplete_details.reason` (max_output_tokens -> max_tokens,
 * content_filter stays, others as sent); any other status (cancelled, in_progress, ...) as sent.
 */
export function fromResponseStatus(
  status: string | null | undefined,
  incompleteReason: string | null | undefined,
  hasToolCalls: boolean,
): string | null {
  if (status === 'incomplete') {
    if (incompleteReason === null || incompleteReason === undefined) return 'incomplete';
    return Object.hasOwn(incompleteReasons, incompleteReason)
      ? incompleteReasons[incompleteReason as keyof typeof incompleteReasons]
      : incompleteReason;
  }
  if (status === 'completed' || status === null || status === undefined) {
    return hasToolCalls ? 'tool_use' : 'end_turn';
  }
  return status;
}

/**
 * A `Response` (or the one `finalResponse()` assembles from a stream) as a ModelResponse: output items in
 * order, message text (a refusal counts as text) as text blocks, function calls as tool_use blocks (the
 * `call_id` as id, arguments parsed), reasoning items as thinking blocks (see the module comment).
 * A response whose status is `failed` rejects with its error.
 */
export function fromResponse(raw: unknown): ModelResponse {
  const parsed = responseSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProviderError(
      `openai API returned an unexpected response: ${z.prettifyError(parsed.error)}`,
      { provider: 'openai', cause: parsed.error },
    );
  }
  const response = parsed.data;
  if (response.status === 'failed') {
    const message = response.error?.message ?? 'the response failed';
    throw new ProviderError(`openai API error: ${message}`, {
      provider: 'openai',
      details: { code: response.error?.code ?? null, responseId: response.id ?? null },
    });
  }
  const content: AssistantBlock[] = [];
  let refused = false;
  for (const item of response.output) {
    switch (item.type) {
      case 'message':
        for (const part of parseItem(messageItemSchema, item).content) {
          const text = part.text ?? part.refusal ?? '';
          if (part.type === 'refusal') refused = true;
          if (text !== '') content.push({ type: 'text', text });
        }
        break;
      case 'function_call': {
        const call = parseItem(functionCallItemSchema, item);
        content.push({
          type: 'tool_use',
          id: call.call_id,
          name: call.name,
          input: parseToolArguments(call.arguments, call.name),
        });
        break;
      }
      case 'reasoning': {
        const reasoning = parseItem(reasoningItemSchema, item);
        const texts = reasoning.summary?.length ? reasoning.summary : (reasoning.content ?? []);
        content.push({
          type: 'thinking',
          thinking: texts.map((part) => part.text).join('\n\n'),
          signature: encodeReasoningSignature(reasoning.id, reasoning.encrypted_content ?? null),
        });
        break;
      }
      default:
        break; // built-in tool items (web search, ...): not requested by llmproc
    }
  }
  const hasToolCalls = content.some((block) => block.type === 'tool_use');
  return {
    id: response.id ?? null,
    model: response.model ?? '',
    content,
    stopReason:
      refused && !hasToolCalls
        ? 'refusal'
        : fromResponseStatus(response.status, response.incomplete_details?.reason, hasToolCalls),
    usage: fromResponseUsage(response.usage),
  };
}

function parseItem<Schema extends z.ZodType>(schema: Schema, item: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  throw new ProviderError(
    `openai API returned an unexpected output item: ${z.prettifyError(parsed.error)}`,
    { provider: 'openai', cause: parsed.error },
  );
}
