/**
 * Conversation content in the GenAI conventions' message form (gen-ai-input-messages.json,
 * gen-ai-output-messages.json, gen-ai-system-instructions.json), serialized as JSON strings since
 * span attributes cannot hold objects. Only used with `captureContent: true`.
 */
import type { Message } from '../index.js';

export type MessagePart =
  | { type: 'text'; content: string }
  | { type: 'reasoning'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; result: unknown }
  | { type: 'blob'; modality: 'image' | 'document'; mime_type: string; content: string }
  | { type: 'uri'; modality: 'image' | 'document'; mime_type?: string; uri: string };

type MediaBlock = Extract<Message['content'][number], { type: 'image' | 'document' }>;

/** An image or document as the conventions' `blob` (base64 content) or `uri` part. */
function mediaPart(block: MediaBlock): MessagePart {
  const { source } = block;
  if (source.type === 'base64')
    return {
      type: 'blob',
      modality: block.type,
      mime_type: source.media_type,
      content: source.data,
    };
  return {
    type: 'uri',
    modality: block.type,
    ...(source.media_type === undefined ? {} : { mime_type: source.media_type }),
    uri: source.url,
  };
}

export interface ChatMessage {
  role: 'user' | 'assistant' | 'tool';
  parts: MessagePart[];
  finish_reason?: string;
}

/** The conversation sent to the model: user text, assistant replies, tool results as `tool` role. */
export function inputMessages(messages: readonly Message[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const message of messages) {
    if (typeof message.content === 'string') {
      out.push({ role: message.role, parts: [{ type: 'text', content: message.content }] });
      continue;
    }
    if (message.role === 'assistant') {
      const parts: MessagePart[] = [];
      for (const block of message.content) {
        if (block.type === 'text') parts.push({ type: 'text', content: block.text });
        else if (block.type === 'thinking')
          parts.push({ type: 'reasoning', content: block.thinking });
        else if (block.type === 'tool_use')
          parts.push({ type: 'tool_call', id: block.id, name: block.name, arguments: block.input });
      }
      out.push({ role: 'assistant', parts });
      continue;
    }
    const texts: MessagePart[] = [];
    const results: MessagePart[] = [];
    for (const block of message.content) {
      if (block.type === 'text') texts.push({ type: 'text', content: block.text });
      else if (block.type === 'tool_result') {
        results.push({ type: 'tool_call_response', id: block.tool_use_id, result: block.content });
        for (const image of block.images ?? []) results.push(mediaPart(image));
      } else texts.push(mediaPart(block));
    }
    if (results.length > 0) out.push({ role: 'tool', parts: results });
    if (texts.length > 0) out.push({ role: 'user', parts: texts });
  }
  return out;
}

export function systemInstructions(systemPrompt: string): { type: 'text'; content: string }[] {
  return systemPrompt === '' ? [] : [{ type: 'text', content: systemPrompt }];
}
