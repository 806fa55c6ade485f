import { z } from '../../internal/zod.js';
import { defineTool } from '../define-tool.js';
import { ToolResult } from '../tool-result.js';

/** Lets the model write to the process's stderr log (and `stderr_write` callbacks). */
export const writeStderrTool = defineTool({
  name: 'write_stderr',
  description:
    "Append a message to the process's stderr log, for progress notes and diagnostics meant for the operator rather than the user.",
  parameters: z.object({ message: z.unknown().describe('The text to append') }),
  access: 'read',
  execute: ({ message }, context) => {
    if (typeof message !== 'string' || message === '') {
      return ToolResult.fromError('message must be a non-empty string');
    }
    context.process.writeStderr(message);
    return ToolResult.fromSuccess('written');
  },
});
