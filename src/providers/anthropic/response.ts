/**
 * Pure mappers from Anthropic Messages API responses (the SDK's `Message`, parsed here from
 * `unknown`) to llmproc's plain `ModelResponse`, `Usage` and `TokenCount`.
 */
import { z } from '../../internal/zod.js';
import { ProviderError } from '../../errors.js';
import type { AssistantBlock } from '../../conversation/messages.js';
import type { ModelResponse, TokenCount, Usage } from '../types.js';

/** A token count, or undefined when the field is absent, null or not a usable number. */
const tokenCount = z.number().nonnegative().nullish().catch(undefined);

const usageSchema = z.object({
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  cache_read_input_tokens: tokenCount,
  cache_creation_input_tokens: tokenCount,
  output_tokens_details: z.object({ thinking_tokens: tokenCount }).nullish().catch(undefined),
});

const blockSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: z.string().nullish(),
  }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
  // Server-side tool blocks (server_tool_use, web_search_tool_result, ...) and future block types.
  z.object({ type: z.string() }),
]);

const messageSchema = z.object({
  id: z.string().nullish(),
  model: z.string().nullish(),
  content: z.array(blockSchema),
  stop_reason: z.string().nullish(),
  usage: usageSchema.nullish().catch(undefined),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Usage in the plain form. Anthropic reports `input_tokens` without the cached part, and the cache
 * fields may be absent or null (0.9.2 crashed on null, bug 16): every missing count becomes 0.
 * `reasoningTokens` is `output_tokens_details.thinking_tokens` where the API reports it (it is part of
 * `output_tokens`, not added to it).
 */
export function fromAnthropicUsage(raw: unknown): Usage {
  const parsed = usageSchema.safeParse(raw);
  const usage = parsed.success ? parsed.data : undefined;
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
    reasoningTokens: usage?.output_tokens_details?.thinking_tokens ?? 0,
  };
}

/**
 * A Messages API reply in the plain format. Content keeps text, tool_use (with its `input` object and
 * the API's id, so results map back), thinking (with signature) and redacted_thinking blocks, in
 * order; Anthropic requires thinking blocks to be sent back with later tool results. Blocks the
 * plain format cannot hold (server tool calls and their results) are left out. The stop reason is
 * already in the Anthropic vocabulary and passes through unchanged (`end_turn`, `tool_use`,
 * `max_tokens`, `stop_sequence`, `pause_turn`, `refusal`, ...).
 */
export function fromAnthropicMessage(raw: unknown, provider = 'anthropic'): ModelResponse {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProviderError(
      `${provider} API returned a message that does not match the Messages API: ${z.prettifyError(parsed.error)}`,
      { provider, details: { response: raw } },
    );
  }
  const message = parsed.data;
  const content: AssistantBlock[] = [];
  // Each block parsed into its own schema's shape (unknown types keep only `type`), so the key a block
  // has tells which kind it is.
  for (const block of message.content) {
    if ('text' in block) {
      content.push({ type: 'text', text: block.text });
    } else if ('input' in block) {
      content.push({
        type: 'tool_use',
        id: block.id,
        name: block.name,
        // The SDK parses streamed tool arguments; a reply that is not an object has no arguments.
        input: isRecord(block.input) ? block.input : {},
      });
    } else if ('thinking' in block) {
      content.push(
        block.signature == null
          ? { type: 'thinking', thinking: block.thinking }
          : { type: 'thinking', thinking: block.thinking, signature: block.signature },
      );
    } else if ('data' in block) {
      content.push({ type: 'redacted_thinking', data: block.data });
    }
  }
  return {
    id: message.id ?? null,
    model: message.model ?? '',
    content,
    stopReason: message.stop_reason ?? null,
    usage: fromAnthropicUsage(message.usage),
  };
}

/**
 * Context window for a model name: 200,000 tokens for every Claude model (also under Vertex names
 * such as `claude-sonnet-4-5@20250929`), unknown (null) otherwise.
 */
export function contextWindowFor(model: string): number | null {
  return model.toLowerCase().startsWith('claude') ? 200_000 : null;
}

/** The count endpoint's reply (`{ input_tokens }`) as a `TokenCount` for `model`. */
export function fromAnthropicTokenCount(
  raw: unknown,
  model: string,
  provider = 'anthropic',
): TokenCount {
  const parsed = z.object({ input_tokens: z.number().nonnegative() }).safeParse(raw);
  if (!parsed.success) {
    throw new ProviderError(
      `${provider} count_tokens returned no input_tokens: ${z.prettifyError(parsed.error)}`,
      { provider, details: { response: raw } },
    );
  }
  const inputTokens = parsed.data.input_tokens;
  const contextWindow = contextWindowFor(model);
  if (contextWindow === null) {
    return { inputTokens, contextWindow: null, percentage: null, remainingTokens: null };
  }
  return {
    inputTokens,
    contextWindow,
    percentage: (inputTokens / contextWindow) * 100,
    remainingTokens: Math.max(0, contextWindow - inputTokens),
  };
}
