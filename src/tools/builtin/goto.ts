import { z } from '../../internal/zod.js';
import type { Message, ToolResultBlock, UserBlock } from '../../conversation/messages.js';
import { defineTool } from '../define-tool.js';
import { ToolResult } from '../tool-result.js';
import type { GotoTarget, Tool, ToolContext } from '../types.js';

/** How the goto tool finds its target; undefined when the calling process offers none. */
export type GotoTargetLookup = (context: ToolContext) => GotoTarget | undefined;

/** The default lookup: the calling process's conversation. */
export const processTimeTravel: GotoTargetLookup = (context) => context.process.timeTravel;

/** The text of the message goto returns to, for the model to see what it replaced. */
function contentText(message: Message): string {
  if (typeof message.content === 'string') return message.content;
  const parts: string[] = [];
  for (const block of message.content) if (block.type === 'text') parts.push(block.text);
  return parts.join('\n');
}

/**
 * The tool results a target message holds. They answer the calls of the message before it, which
 * goto keeps, so they stay too: cutting between a call and its result makes every later request
 * invalid (Anthropic answers 400).
 */
function toolResultsOf(message: Message): ToolResultBlock[] {
  if (message.role !== 'user' || typeof message.content === 'string') return [];
  return message.content.filter((block) => block.type === 'tool_result');
}

/** Append a user text, joining a trailing user message, since the APIs want turns to alternate. */
function appendUserText(messages: Message[], text: string): void {
  const last = messages.at(-1);
  if (last?.role !== 'user') {
    messages.push({ role: 'user', content: text });
    return;
  }
  const blocks: UserBlock[] =
    typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
  messages[messages.length - 1] = { role: 'user', content: [...blocks, { type: 'text', text }] };
}

const description = `Go back to an earlier point of this conversation, discarding everything after it. Every user message starts with its id, "[msg_N]".

Use it when a long task is done and its intermediate steps are no longer needed, when an approach failed and you want to start over with a clean context, or when the user asks to go back.

The conversation is cut just before the message you name (tool results it holds are kept, since they answer the calls before them); that message is replaced by a note saying goto was used, the original message (to be ignored), and your message inside <time_travel_message> tags. Write that message for your future self: what was done, what was learned, what to do next, because nothing after the target will be remembered.

For example, after fixing some warnings over many steps (msg_7 asked for it), goto(position="msg_7", message="The deprecation warnings are fixed. Next: the other issue the user raised.") compacts the history. When you later see such a note, continue from it: acknowledge it, or follow the instructions in the time travel message.`;

/** Build the `goto` tool (read access) around a way to find the calling process's conversation. */
export function createGotoTool(lookup: GotoTargetLookup = processTimeTravel): Tool {
  return defineTool({
    name: 'goto',
    description,
    access: 'read',
    parameters: z.object({
      position: z.string().describe('Id of the message to go back to, e.g. "msg_3"'),
      message: z
        .string()
        .describe(
          'What you did, what you learned and what you will do next; it replaces the discarded messages',
        ),
    }),
    execute: ({ position, message }, context) => {
      const target = lookup(context);
      if (!target) return ToolResult.fromError('The goto tool is not available in this process');
      if (!position.startsWith('msg_')) {
        return ToolResult.fromError(
          `Invalid message ID: ${position}. Must be in format 'msg_X' where X is a message number.`,
        );
      }
      const messages = target.getMessages();
      const digits = position.slice('msg_'.length);
      const index = /^\d+$/.test(digits) ? Number(digits) : -1;
      const original = messages[index];
      if (!original) {
        return ToolResult.fromError(
          `Could not find message with ID: ${position}. Available IDs range from msg_0 to msg_${String(messages.length - 1)}.`,
        );
      }
      if (index >= messages.length - 1) {
        return ToolResult.fromError(
          `Cannot go forward in time. Message ${position} is at or beyond the current point.`,
        );
      }
      target.recordTimeTravel({
        timestamp: new Date().toISOString(),
        fromMessageCount: messages.length,
        toMessageCount: index + 1,
        positionReference: position,
      });
      const kept = messages.slice(0, index);
      const answers = toolResultsOf(original);
      if (answers.length > 0) kept.push({ role: 'user', content: answers });
      if (message === '') {
        target.replaceMessages(kept);
        return ToolResult.fromAbort(`Conversation reset to message ${position}.`);
      }
      const removed = messages.length - (index + 1);
      appendUserText(
        kept,
        `<system_message> GOTO tool used. Conversation reset to message ${position}. ${String(removed)} messages were removed. </system_message>\n` +
          `<original_message_to_be_ignored>\n${contentText(original)}\n</original_message_to_be_ignored>\n` +
          `<time_travel_message>\n${message}\n</time_travel_message>`,
      );
      target.replaceMessages(kept);
      return ToolResult.fromAbort(
        `Conversation reset to message ${position}. Added time travel message.`,
      );
    },
  });
}

/** `goto` wired to `context.process.timeTravel`. */
export const gotoTool: Tool = createGotoTool();
