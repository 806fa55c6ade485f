import { AccessLevel } from '../../tools/access-level.js';
import { ToolResult } from '../../tools/tool-result.js';
import type { Tool } from '../../tools/types.js';
import { isJsonObject, type JsonValue } from '../json-safe.js';

/** Finds the recorded result of a tool call by its id; undefined when the recording has none. */
export type RecordedAnswer = (toolUseId: string, toolName: string) => JsonValue | undefined;

/** A recorded `tool_end` result (`{ content, isError, abortExecution }`) as a ToolResult again. */
export function toolResultFromJson(value: JsonValue | undefined): ToolResult {
  if (!isJsonObject(value)) return ToolResult.fromSuccess(value ?? '');
  return new ToolResult(
    value['content'] ?? '',
    value['isError'] === true,
    value['abortExecution'] === true,
  );
}

/**
 * A tool that answers every call with the result recorded for it. It accepts any arguments: when the
 * recorded call had bad ones, the recorded result is the error the model saw.
 */
export function answeredFromTrace(
  tool: Pick<Tool, 'name' | 'description' | 'inputSchema'> & { access?: AccessLevel },
  answer: RecordedAnswer,
): Tool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    access: tool.access ?? AccessLevel.READ,
    parse: (args) => ({ ok: true, value: args }),
    execute: (_args, context) => {
      const recorded = answer(context.toolUseId, tool.name);
      if (recorded === undefined) {
        return ToolResult.fromError(
          `Replay: the trace has no result for this call of '${tool.name}' (id ${context.toolUseId})`,
        );
      }
      return toolResultFromJson(recorded);
    },
  };
}
