/**
 * Pure mappers from `@google/genai` responses (GenerateContentResponse, stream chunks,
 * CountTokensResponse) to the plain ModelResponse, Usage and TokenCount. SDK objects arrive as
 * `unknown` and are parsed here with zod.
 */
import { randomUUID } from 'node:crypto';
import { z } from '../../internal/zod.js';
import type { AssistantBlock, ThinkingBlock } from '../../conversation/messages.js';
import type { ModelResponse, TokenCount, Usage } from '../types.js';
import { isRecord } from '../../internal/is-record.js';

const functionCallSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  args: z.record(z.string(), z.unknown()).optional(),
});

const partSchema = z.object({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: functionCallSchema.optional(),
});

const usageSchema = z.object({
  promptTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
});

const responseSchema = z.object({
  responseId: z.string().optional(),
  modelVersion: z.string().optional(),
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(partSchema).optional() }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  usageMetadata: usageSchema.optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
});

type GeminiUsage = z.infer<typeof usageSchema>;

function finite(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : 0;
}

/**
 * Gemini usageMetadata in Anthropic's meaning, so that input + cacheRead + output = totalTokenCount:
 * - inputTokens = promptTokenCount - cachedContentTokenCount + toolUsePromptTokenCount (Gemini's
 *   prompt count includes the cached part; Anthropic's input_tokens does not);
 * - outputTokens = candidatesTokenCount + thoughtsTokenCount (Gemini counts thinking apart from the
 *   candidates; Anthropic's output_tokens and OpenAI's completion_tokens include it, and it is billed
 *   as output);
 * - cacheReadTokens = cachedContentTokenCount; cacheWriteTokens = 0 (Gemini reports no cache writes);
 * - reasoningTokens = thoughtsTokenCount (a part of outputTokens).
 */
export function toUsage(usage: GeminiUsage | undefined): Usage {
  const prompt = finite(usage?.promptTokenCount);
  const cached = finite(usage?.cachedContentTokenCount);
  const thoughts = finite(usage?.thoughtsTokenCount);
  return {
    inputTokens: Math.max(0, prompt - cached) + finite(usage?.toolUsePromptTokenCount),
    outputTokens: finite(usage?.candidatesTokenCount) + thoughts,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  };
}

/**
 * Gemini's finishReason in Anthropic's vocabulary: STOP -> "end_turn", or "tool_use" when the reply
 * holds function calls (Gemini says STOP for both, and for a matched stop sequence too);
 * MAX_TOKENS -> "max_tokens"; any other reason lower-cased ("safety", "recitation",
 * "malformed_function_call", ...). With no candidate, a prompt block reason lower-cased, else null.
 */
export function toStopReason(
  finishReason: string | undefined,
  hasToolCalls: boolean,
  blockReason?: string,
): string | null {
  if (finishReason === undefined || finishReason === '') {
    if (blockReason !== undefined && blockReason !== '') return blockReason.toLowerCase();
    return hasToolCalls ? 'tool_use' : null;
  }
  if (finishReason === 'STOP') return hasToolCalls ? 'tool_use' : 'end_turn';
  if (finishReason === 'MAX_TOKENS') return 'max_tokens';
  return finishReason.toLowerCase();
}

/**
 * Id for a function call the API sent without one (the Gemini API usually does): stable for a given
 * response, `gemini-call-<responseId>-<index of the call in the reply>`, or a random uuid when the
 * response has no id.
 */
export function functionCallId(responseId: string | undefined, index: number): string {
  return responseId !== undefined && responseId !== ''
    ? `gemini-call-${responseId}-${String(index)}`
    : `gemini-call-${randomUUID()}`;
}

/**
 * A GenerateContentResponse (or an assembled stream) as a plain ModelResponse. Only the first
 * candidate is read. Parts map as: thought part -> thinking block (with its signature); a signature
 * on a text or functionCall part -> a `{ thinking: '', signature }` block right before it (see
 * request.ts; on an empty text part only that block is kept); non-empty text -> text block (joined
 * to the text block before it when no signature comes between, as the SDK joins text parts);
 * functionCall -> tool_use with its id (or a generated one, see {@link functionCallId}) and its
 * args as `input`. Other part kinds (inline data, code execution) are not represented.
 */
export function fromGeminiResponse(raw: unknown, requestedModel: string): ModelResponse {
  const response = responseSchema.parse(raw);
  const candidate = response.candidates?.[0];
  const content: AssistantBlock[] = [];
  let callIndex = 0;
  for (const part of candidate?.content?.parts ?? []) {
    const signature =
      part.thoughtSignature !== undefined && part.thoughtSignature !== ''
        ? part.thoughtSignature
        : undefined;
    if (part.thought === true) {
      if ((part.text ?? '') === '' && signature === undefined) continue;
      const block: ThinkingBlock = { type: 'thinking', thinking: part.text ?? '' };
      if (signature !== undefined) block.signature = signature;
      content.push(block);
      continue;
    }
    if (signature !== undefined) content.push({ type: 'thinking', thinking: '', signature });
    if (part.functionCall !== undefined) {
      const call = part.functionCall;
      content.push({
        type: 'tool_use',
        id:
          call.id !== undefined && call.id !== ''
            ? call.id
            : functionCallId(response.responseId, callIndex),
        name: call.name ?? '',
        input: call.args ?? {},
      });
      callIndex += 1;
    } else if (part.text !== undefined && part.text !== '') {
      // Text parts of one reply join as the SDK's `response.text` joins them, with nothing between.
      const previous = content.at(-1);
      if (previous?.type === 'text' && signature === undefined) previous.text += part.text;
      else content.push({ type: 'text', text: part.text });
    }
  }
  return {
    id: response.responseId ?? null,
    model: response.modelVersion ?? requestedModel,
    content,
    stopReason: toStopReason(
      candidate?.finishReason,
      callIndex > 0,
      candidate === undefined ? response.promptFeedback?.blockReason : undefined,
    ),
    usage: toUsage(response.usageMetadata),
  };
}

const textPartKeys = new Set(['text', 'thought', 'thoughtSignature']);

function isTextPart(part: Record<string, unknown>): boolean {
  return (
    typeof part['text'] === 'string' && Object.keys(part).every((key) => textPartKeys.has(key))
  );
}

/**
 * Append a streamed part, joining it to the previous one when both are plain text of one kind and
 * at most one of them carries a thought signature: the text joins with nothing in between (a chunk
 * may break mid-word), and the signature stays on the joined part, as a non-streamed reply has it.
 */
function appendPart(parts: Record<string, unknown>[], part: Record<string, unknown>): void {
  const previous = parts.at(-1);
  if (
    previous !== undefined &&
    isTextPart(previous) &&
    isTextPart(part) &&
    (previous['thought'] === true) === (part['thought'] === true) &&
    (previous['thoughtSignature'] === undefined || part['thoughtSignature'] === undefined)
  ) {
    previous['text'] = `${String(previous['text'])}${String(part['text'])}`;
    if (part['thoughtSignature'] !== undefined)
      previous['thoughtSignature'] = part['thoughtSignature'];
    return;
  }
  parts.push({ ...part });
}

/**
 * The chunks of `generateContentStream` assembled into one GenerateContentResponse-shaped object
 * (the `api_response` of a streamed call): per candidate, the parts of every chunk in order, with
 * consecutive text parts of one kind (thought or not) joined, a signature staying on the part that
 * carried it; every other field (finishReason, usageMetadata, responseId, modelVersion, ...) as the
 * last chunk that had it. Function calls arrive whole in Gemini streams and are kept as they are.
 */
export function assembleStream(chunks: readonly unknown[]): Record<string, unknown> {
  const assembled: Record<string, unknown> = {};
  const candidates: Record<string, unknown>[] = [];
  const partsByCandidate: Record<string, unknown>[][] = [];
  for (const chunk of chunks) {
    if (!isRecord(chunk)) continue;
    for (const [key, value] of Object.entries(chunk)) {
      if (key === 'candidates' || value === undefined) continue;
      assembled[key] = value;
    }
    const chunkCandidates = chunk['candidates'];
    if (!Array.isArray(chunkCandidates)) continue;
    chunkCandidates.forEach((candidate: unknown, position) => {
      if (!isRecord(candidate)) return;
      const index = typeof candidate['index'] === 'number' ? candidate['index'] : position;
      const target = (candidates[index] ??= {});
      const parts = (partsByCandidate[index] ??= []);
      for (const [key, value] of Object.entries(candidate)) {
        if (value === undefined) continue;
        if (key !== 'content') {
          target[key] = value;
          continue;
        }
        if (!isRecord(value)) continue;
        if (typeof value['role'] === 'string') target['role'] = value['role'];
        const chunkParts = value['parts'];
        if (Array.isArray(chunkParts)) {
          for (const part of chunkParts) if (isRecord(part)) appendPart(parts, part);
        }
      }
    });
  }
  if (candidates.length > 0) {
    // `candidates` may be sparse when a stream skipped an index.
    const list: (Record<string, unknown> | undefined)[] = candidates;
    assembled['candidates'] = Array.from(list, (candidate, index) => {
      const { role, ...rest } = candidate ?? {};
      return {
        ...rest,
        content: {
          role: typeof role === 'string' ? role : 'model',
          parts: partsByCandidate[index] ?? [],
        },
      };
    });
  }
  return assembled;
}

/** The visible text of one stream chunk's first candidate (thought parts excluded), in part order. */
export function chunkTextDeltas(chunk: unknown): string[] {
  const parsed = responseSchema.safeParse(chunk);
  if (!parsed.success) return [];
  const deltas: string[] = [];
  for (const part of parsed.data.candidates?.[0]?.content?.parts ?? []) {
    if (part.thought !== true && part.text !== undefined && part.text !== '')
      deltas.push(part.text);
  }
  return deltas;
}

/**
 * Context windows (input token limits) by model family, from the model pages of
 * ai.google.dev/gemini-api/docs/models: 2,097,152 for gemini-1.5-pro; 1,048,576 for gemini-1.5-flash,
 * every gemini-2.x (2.0/2.5 flash, flash-lite, pro) and gemini-3 model. Other models: unknown (null).
 * The first matching prefix wins, after an optional "models/" or "publishers/google/models/" path.
 */
const contextWindows: readonly (readonly [prefix: string, tokens: number])[] = [
  ['gemini-1.5-pro', 2_097_152],
  ['gemini-1.5-flash', 1_048_576],
  ['gemini-2', 1_048_576],
  ['gemini-3', 1_048_576],
];

export function contextWindowFor(model: string): number | null {
  const name = model.slice(model.lastIndexOf('/') + 1);
  for (const [prefix, tokens] of contextWindows) if (name.startsWith(prefix)) return tokens;
  return null;
}

const countTokensSchema = z.object({
  totalTokens: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
});

/** A CountTokensResponse as a TokenCount; `cachedTokens` only when the API reports it. */
export function toTokenCount(raw: unknown, model: string): TokenCount {
  const counted = countTokensSchema.parse(raw);
  const inputTokens = finite(counted.totalTokens);
  const contextWindow = contextWindowFor(model);
  const count: TokenCount = {
    inputTokens,
    contextWindow,
    percentage: contextWindow === null ? null : (inputTokens / contextWindow) * 100,
    remainingTokens: contextWindow === null ? null : Math.max(0, contextWindow - inputTokens),
  };
  if (counted.cachedContentTokenCount !== undefined)
    count.cachedTokens = counted.cachedContentTokenCount;
  return count;
}
