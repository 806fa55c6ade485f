/**
 * Test support for the builtin tools (the `.test-` in the name keeps it out of the published
 * package): a tool call made the way the registry makes it, with a stand-in process.
 */
import { ToolResult } from '../tool-result.js';
import type { Tool, ToolContext } from '../types.js';

/** A ToolContext whose `process` is whatever object the test needs it to be. */
export function fakeContext(process: object = {}): ToolContext {
  return {
    // The tools under test read `process` only through checked lookups, so any object will do.
    process: process as unknown as ToolContext['process'],
    signal: undefined,
    toolUseId: 'toolu_test',
    turn: { assistantBlocks: [], toolResults: [] },
  };
}

/** Check the arguments, run the tool, and wrap a plain return value, as the registry does. */
export async function callTool(
  tool: Tool,
  args: Record<string, unknown>,
  context = fakeContext(),
): Promise<ToolResult> {
  const parsed = tool.parse(args);
  if (!parsed.ok) return ToolResult.fromError(parsed.error);
  const returned: unknown = await tool.execute(parsed.value, context);
  return returned instanceof ToolResult ? returned : ToolResult.fromSuccess(returned);
}
