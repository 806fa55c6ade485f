/**
 * Small pure helpers shared by the Chat Completions and Responses mappers.
 */
import { getLogger } from '../../internal/logger.js';
import type {
  DocumentBlock,
  ImageBlock,
  TextBlock,
  ToolResultBlock,
  UserBlock,
} from '../../conversation/messages.js';
import type { Usage } from '../types.js';
import { isRecord } from '../../internal/is-record.js';

/** Where `[parameters].extra_headers` travels inside a payload until `doGenerate` sends it as headers. */
export const extraHeadersKey = 'extra_headers';

/** What the user gave in one message: text, images and documents. */
export type GivenBlock = TextBlock | ImageBlock | DocumentBlock;

/**
 * A user message's blocks split for OpenAI, whose tool answers are separate items that must come right
 * after the assistant's tool calls: every tool result first (in order), then what the user gave (text,
 * images, documents, in order).
 */
export function splitUserBlocks(blocks: readonly UserBlock[]): {
  toolResults: ToolResultBlock[];
  given: GivenBlock[];
} {
  const toolResults: ToolResultBlock[] = [];
  const given: GivenBlock[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') toolResults.push(block);
    else given.push(block);
  }
  return { toolResults, given };
}

/** Whether every block the user gave is text (then the message is sent in its plain text form). */
export function isAllText(blocks: readonly GivenBlock[]): blocks is TextBlock[] {
  return blocks.every((block) => block.type === 'text');
}

/** The name OpenAI requires for an inline file: the document's title, else one from its type. */
export function fileNameOf(block: DocumentBlock): string {
  return block.title ?? 'document.pdf';
}

/**
 * The model's tool-call arguments (JSON text) as the plain `tool_use.input` object. Text that is not a
 * JSON object (truncated by `max_tokens`, or a model slip) becomes `{}` with a warning, so the tool
 * reports the missing arguments to the model instead of the run failing.
 */
export function parseToolArguments(
  argumentsJson: string,
  toolName: string,
): Record<string, unknown> {
  if (argumentsJson.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    if (isRecord(parsed)) return parsed;
  } catch {
    // reported below
  }
  getLogger().warn(
    `openai: arguments of tool call "${toolName}" are not a JSON object; calling it with {} (got ${argumentsJson.slice(0, 200)})`,
  );
  return {};
}

/**
 * `[parameters].extra_headers` as HTTP headers: string values kept, numbers and booleans stringified,
 * anything else (null, tables) dropped.
 */
export function toHeaders(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(value)) {
    if (typeof headerValue === 'string') headers[name] = headerValue;
    else if (typeof headerValue === 'number' || typeof headerValue === 'boolean')
      headers[name] = String(headerValue);
  }
  return headers;
}

/** A token count from an API usage object: the number when it is one, else 0 (never NaN). */
function tokens(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Usage in Anthropic's meaning from OpenAI's counts (either API's field names): OpenAI's input count
 * includes the cached and cache-written tokens, Anthropic's `inputTokens` excludes both; the output
 * count includes reasoning tokens, as Anthropic's includes thinking. Missing counts are 0.
 */
export function toAnthropicUsage(counts: {
  input: number | null | undefined;
  output: number | null | undefined;
  cacheRead: number | null | undefined;
  cacheWrite: number | null | undefined;
  reasoning: number | null | undefined;
}): Usage {
  const cacheRead = tokens(counts.cacheRead);
  const cacheWrite = tokens(counts.cacheWrite);
  return {
    inputTokens: Math.max(0, tokens(counts.input) - cacheRead - cacheWrite),
    outputTokens: tokens(counts.output),
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: tokens(counts.reasoning),
  };
}
