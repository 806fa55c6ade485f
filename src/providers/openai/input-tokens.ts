/**
 * Token counting through the Responses API's `POST /v1/responses/input_tokens` (Chat Completions has
 * no count endpoint). Pure: request params out, the count in.
 */
import { z } from '../../internal/zod.js';
import { ProviderError } from '../../errors.js';

/** Keys of a Responses payload that `/v1/responses/input_tokens` accepts. */
const countableKeys = [
  'model',
  'instructions',
  'input',
  'tools',
  'reasoning',
  'text',
  'tool_choice',
  'parallel_tool_calls',
  'truncation',
] as const;

/** The params for `client.responses.inputTokens.count`, taken from a payload built by `buildResponsesRequest`. */
export function toInputTokenCountParams(payload: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const key of countableKeys) if (payload[key] !== undefined) params[key] = payload[key];
  return params;
}

const inputTokenCountSchema = z.object({ input_tokens: z.number() });

/** The input-token count from a `/v1/responses/input_tokens` answer. */
export function fromInputTokenCount(raw: unknown): number {
  const parsed = inputTokenCountSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProviderError(
      `openai API returned an unexpected input token count: ${z.prettifyError(parsed.error)}`,
      { provider: 'openai', cause: parsed.error },
    );
  }
  return parsed.data.input_tokens;
}
