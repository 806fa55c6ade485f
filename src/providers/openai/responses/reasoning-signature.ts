/**
 * The opaque `signature` a thinking block made from a Responses reasoning item carries: the item id
 * and its `encrypted_content` as JSON text, written by response.ts and read back by request.ts.
 */
import { z } from '../../../internal/zod.js';

const reasoningSignatureSchema = z.object({
  type: z.literal('openai_reasoning'),
  id: z.string(),
  encrypted_content: z.string().nullable(),
});

/** The `signature` of a thinking block made from a Responses reasoning item: opaque JSON text. */
export function encodeReasoningSignature(id: string, encryptedContent: string | null): string {
  return JSON.stringify({ type: 'openai_reasoning', id, encrypted_content: encryptedContent });
}

/** The reasoning item behind a thinking block's signature, or undefined when this adapter did not make it. */
export function decodeReasoningSignature(
  signature: string | undefined,
): z.infer<typeof reasoningSignatureSchema> | undefined {
  if (signature === undefined || !signature.startsWith('{')) return undefined;
  try {
    const parsed = reasoningSignatureSchema.safeParse(JSON.parse(signature));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
