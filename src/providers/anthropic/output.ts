/**
 * Structured output on Anthropic models (docs/output.md): the native `output_config.format` where the
 * model has it, else a tool the model must call with the answer as its input.
 */
import { LlmprocError } from '../../errors.js';
import type { AssistantBlock } from '../../conversation/messages.js';
import type { OutputFormat } from '../types.js';
import type { AnthropicRequest } from './request.js';

/** The forced tool's name; a program's own tool of that name cannot be combined with `output`. */
export const OUTPUT_TOOL_NAME = 'final_result';

const OUTPUT_TOOL_DESCRIPTION = 'The final response which ends this conversation';

function thinkingEnabled(payload: AnthropicRequest): boolean {
  const thinking = payload['thinking'];
  return (
    typeof thinking === 'object' &&
    thinking !== null &&
    'type' in thinking &&
    thinking.type !== 'disabled'
  );
}

/**
 * Add the output request to a payload, in place.
 * - native: `output_config: { format: { type: "json_schema", schema } }` (other `output_config` keys,
 *   such as `effort`, are kept);
 * - tool: a `final_result` tool whose input schema is the output schema, and a `tool_choice` that makes
 *   the model answer through a tool: that tool when it is the only one (as recorded), `any` when the
 *   program has tools of its own so they can still run first. With extended thinking on, the API
 *   accepts only `auto`; the model is then held to the tool by the retry message.
 */
export function applyOutputFormat(
  payload: AnthropicRequest,
  output: OutputFormat,
  native: boolean,
): void {
  if (native) {
    const existing = payload['output_config'];
    const base = typeof existing === 'object' && existing !== null ? existing : {};
    payload['output_config'] = {
      ...base,
      format: { type: 'json_schema', schema: structuredClone(output.schema) },
    };
    return;
  }
  const tools = payload.tools ?? [];
  if (tools.some((tool) => tool.name === OUTPUT_TOOL_NAME)) {
    throw new LlmprocError(
      'TOOL_INVALID',
      `anthropic: a tool named "${OUTPUT_TOOL_NAME}" cannot be combined with output: that name carries the structured answer on this model`,
    );
  }
  const input_schema = { ...structuredClone(output.schema), type: 'object' as const };
  payload.tools = [
    ...tools,
    { name: OUTPUT_TOOL_NAME, description: OUTPUT_TOOL_DESCRIPTION, input_schema },
  ];
  if (thinkingEnabled(payload)) payload['tool_choice'] = { type: 'auto' };
  else if (tools.length === 0) payload['tool_choice'] = { type: 'tool', name: OUTPUT_TOOL_NAME };
  else payload['tool_choice'] = { type: 'any' };
}

/** Whether a payload asks for the answer through the output tool. */
export function usesOutputTool(payload: Readonly<Record<string, unknown>>): boolean {
  const tools = payload['tools'];
  return (
    Array.isArray(tools) &&
    tools.some(
      (tool: unknown) =>
        typeof tool === 'object' &&
        tool !== null &&
        'name' in tool &&
        tool.name === OUTPUT_TOOL_NAME &&
        'description' in tool &&
        tool.description === OUTPUT_TOOL_DESCRIPTION,
    )
  );
}

/**
 * The reply with each call of the output tool turned into the answer's JSON text. The call is not a
 * tool to run: kept as text, the conversation holds no tool call without a result, and the loop
 * validates it like any provider's JSON answer.
 */
export function outputToolCallsAsText(content: AssistantBlock[]): AssistantBlock[] {
  return content.map((block) =>
    block.type === 'tool_use' && block.name === OUTPUT_TOOL_NAME
      ? { type: 'text', text: JSON.stringify(block.input) }
      : block,
  );
}
