import { z } from '../internal/zod.js';
import { LlmprocError } from '../errors.js';
import type { Message } from '../conversation/messages.js';

const text = z.object({ type: z.literal('text'), text: z.string() });
const toolUse = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
});
const source = z.discriminatedUnion('type', [
  z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.object({ type: z.literal('url'), url: z.string(), media_type: z.string().optional() }),
]);
const image = z.object({ type: z.literal('image'), source });
const document = z.object({
  type: z.literal('document'),
  source,
  title: z.string().optional(),
});
const toolResult = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.string(),
  is_error: z.boolean(),
  images: z.array(image).optional(),
});
const thinking = z.object({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
});
const redactedThinking = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

const messageSchema = z.discriminatedUnion('role', [
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.union([text, toolResult, image, document]))]),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.union([text, toolUse, thinking, redactedThinking]))]),
  }),
]);

/**
 * Check a saved conversation handed to `start({ state })`: it comes from outside (a file, a
 * database), so a wrong shape is reported at start, naming the message, not at the first API call.
 */
export function parseState(state: unknown): Message[] {
  const parsed = z.array(messageSchema).safeParse(state);
  if (parsed.success) return parsed.data as Message[];
  const issue = parsed.error.issues[0];
  const where = issue ? issue.path.map(String).join('.') : '';
  throw new LlmprocError(
    'STATE_INVALID',
    `start({ state }): state.${where} ${issue?.message ?? 'is invalid'}; expected messages as getState() returns them`,
  );
}
