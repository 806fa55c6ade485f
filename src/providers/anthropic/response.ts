/**
 * Pure mappers from Anthropic Messages API responses (the SDK's `Message`, parsed here from
 * `unknown`) to llmproc's plain `ModelResponse`, `Usage` and `TokenCount`.
 */
import { ProviderError } from '../../errors.js';
import type { AssistantBlock } from '../../conversation/messages.js';
import { emptyUsage } from '../../conversation/usage.js';
import type { ModelResponse, TokenCount, Usage } from '../types.js';
import { isRecord } from '../../internal/is-record.js';

// Hand-written checks, not a schema library: every model reply passes through here, and the SDK
// already types the reply, so these only guard the fields the plain format reads (bench: the HTTP
// loop against a bare SDK loop).

/** A token count, or undefined when the field is absent, null or not a usable number. */
function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** A field that must be a string when present: undefined when absent or null, else a problem. */
function optionalString(
  message: Record<string, unknown>,
  key: string,
  problems: string[],
): string | undefined {
  const value = message[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${key}: expected a string, got ${typeof value}`);
  return undefined;
}

/**
 * One reply block in the plain format, or undefined for a block the plain format cannot hold
 * (server tool calls and their results, future block types, a block missing its fields).
 */
function fromAnthropicBlock(block: Record<string, unknown>): AssistantBlock | undefined {
  switch (block['type']) {
    case 'text':
      return typeof block['text'] === 'string' ? { type: 'text', text: block['text'] } : undefined;
    case 'tool_use': {
      const { id, name, input } = block;
      if (typeof id !== 'string' || typeof name !== 'string') return undefined;
      // The SDK parses streamed tool arguments; a reply that is not an object has no arguments.
      return { type: 'tool_use', id, name, input: isRecord(input) ? input : {} };
    }
    case 'thinking': {
      const { thinking, signature } = block;
      if (typeof thinking !== 'string') return undefined;
      return typeof signature === 'string'
        ? { type: 'thinking', thinking, signature }
        : { type: 'thinking', thinking };
    }
    case 'redacted_thinking':
      return typeof block['data'] === 'string'
        ? { type: 'redacted_thinking', data: block['data'] }
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Usage in the plain form. Anthropic reports `input_tokens` without the cached part, and the cache
 * fields may be absent or null (0.9.2 crashed on null, bug 16): every missing count becomes 0.
 * `reasoningTokens` is `output_tokens_details.thinking_tokens` where the API reports it (it is part of
 * `output_tokens`, not added to it).
 */
export function fromAnthropicUsage(raw: unknown): Usage {
  if (!isRecord(raw)) return emptyUsage();
  const details = raw['output_tokens_details'];
  return {
    inputTokens: tokenCount(raw['input_tokens']) ?? 0,
    outputTokens: tokenCount(raw['output_tokens']) ?? 0,
    cacheReadTokens: tokenCount(raw['cache_read_input_tokens']) ?? 0,
    cacheWriteTokens: tokenCount(raw['cache_creation_input_tokens']) ?? 0,
    reasoningTokens: (isRecord(details) ? tokenCount(details['thinking_tokens']) : undefined) ?? 0,
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
  const problems: string[] = [];
  const message = isRecord(raw) ? raw : {};
  if (!isRecord(raw))
    problems.push(`expected an object, got ${raw === null ? 'null' : typeof raw}`);
  const blocks = message['content'];
  if (isRecord(raw) && !Array.isArray(blocks))
    problems.push('content: expected an array of blocks');
  const id = optionalString(message, 'id', problems);
  const model = optionalString(message, 'model', problems);
  const stopReason = optionalString(message, 'stop_reason', problems);
  if (problems.length > 0) {
    throw new ProviderError(
      `${provider} API returned a message that does not match the Messages API: ${problems.join('; ')}`,
      { provider, details: { response: raw } },
    );
  }
  const content: AssistantBlock[] = [];
  for (const block of blocks as unknown[]) {
    const converted = isRecord(block) ? fromAnthropicBlock(block) : undefined;
    if (converted) content.push(converted);
  }
  return {
    id: id ?? null,
    model: model ?? '',
    content,
    stopReason: stopReason ?? null,
    usage: fromAnthropicUsage(message['usage']),
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
  const inputTokens = isRecord(raw) ? tokenCount(raw['input_tokens']) : undefined;
  if (inputTokens === undefined) {
    throw new ProviderError(
      `${provider} count_tokens returned no input_tokens: expected a non-negative number`,
      { provider, details: { response: raw } },
    );
  }
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
