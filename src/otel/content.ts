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
  | { type: 'tool_call_response'; id: string; result: unknown };

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
      else
        results.push({ type: 'tool_call_response', id: block.tool_use_id, result: block.content });
    }
    if (results.length > 0) out.push({ role: 'tool', parts: results });
    if (texts.length > 0) out.push({ role: 'user', parts: texts });
  }
  return out;
}

export function systemInstructions(systemPrompt: string): { type: 'text'; content: string }[] {
  return systemPrompt === '' ? [] : [{ type: 'text', content: systemPrompt }];
}
