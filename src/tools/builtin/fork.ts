import { z } from '../../internal/zod.js';
import { errorMessage } from '../../errors.js';
import type { Message } from '../../conversation/messages.js';
import { defineTool } from '../define-tool.js';
import { ToolResult } from '../tool-result.js';
import type { ToolContext } from '../types.js';

export const maxForkChildren = 10;

/** The tool result each child sees in place of the fork call's real result. */
export const forkChildNotice =
  'pid==0, you are a child instance produced from a fork. please continue the conversation with only the assigned goal';

const summaryRequest = 'Please provide a final text summary of your findings.';

/**
 * `fork`: copies the process once per prompt; each child continues the same conversation with its
 * own goal, and the parent gets each child's final answer. Children get write access, so they cannot
 * fork again.
 *
 * Each child's history is the parent's full history, then the reply being worked through up to and
 * including this fork call, then the results of the calls before it plus a result telling the child
 * it is the child. (0.9.2 built the child from raw blocks only, an invalid history: bug 3.)
 */
export const forkTool = defineTool({
  name: 'fork',
  description:
    "Create copies of this process, one per prompt. Each copy shares the conversation so far and pursues its own prompt; the result lists each copy's final answer. Use it to split independent subtasks that benefit from the current context.",
  parameters: z.object({
    prompts: z
      .array(z.string())
      .describe(
        'One goal per child process; each child receives the whole conversation so far plus its goal',
      ),
  }),
  access: 'admin',
  runsChildren: true,
  execute: async ({ prompts }, context) => {
    if (prompts.length > maxForkChildren) {
      return ToolResult.fromError(
        `Too many fork children requested (${String(prompts.length)}). Maximum is ${String(maxForkChildren)}.`,
      );
    }
    const parent = context.process;
    const history = childHistory(parent.getState(), context);
    if (history.length === 0) {
      return ToolResult.fromError(
        'fork needs a conversation to copy, and this process has none yet: run() it first, or let the model call fork',
      );
    }
    const children = await Promise.all(
      prompts.map(async (prompt, id) => {
        try {
          const child = await parent.forkProcess({ accessLevel: 'write', state: history });
          try {
            const runOptions = context.signal ? { signal: context.signal } : {};
            await child.run(prompt, runOptions);
            if (child.getLastMessage() === '') {
              await child.run(summaryRequest, { ...runOptions, maxIterations: 1 });
            }
            return { id, message: child.getLastMessage() || 'No text response available' };
          } finally {
            await child.close();
          }
        } catch (error) {
          return { id, message: `Error in child process: ${errorMessage(error)}`, error: true };
        }
      }),
    );
    return ToolResult.fromSuccess(JSON.stringify(children));
  },
});

/**
 * The conversation each child starts from. Called by the model, it is the parent's history, the
 * reply being worked through up to this call, and the results of the calls before it plus one telling
 * the child it is the child. Called outside a model turn (`proc.callTool('fork', ...)`), there is no
 * such reply, and the children copy the committed conversation as it is: a result for a call that is
 * not there would make the child's first request invalid.
 */
function childHistory(state: Message[], context: ToolContext): Message[] {
  const blocks = context.turn.assistantBlocks;
  const isModelCall = blocks.some(
    (block) => block.type === 'tool_use' && block.id === context.toolUseId,
  );
  if (!isModelCall) return state;
  return [
    ...state,
    { role: 'assistant', content: structuredClone([...blocks]) },
    {
      role: 'user',
      content: [
        ...structuredClone([...context.turn.toolResults]),
        {
          type: 'tool_result',
          tool_use_id: context.toolUseId,
          content: forkChildNotice,
          is_error: false,
        },
      ],
    },
  ];
}
