import { LlmprocError, type ErrorCode } from '../errors.js';
import { parseAccessLevel } from './access-level.js';
import { builtinToolNames, isBuiltinToolName, type BuiltinToolName } from './builtin/names.js';
import { defineTool, describeKind, isValidToolName, type ToolDefinition } from './define-tool.js';
import type { Tool } from './types.js';
import { isPlainObject, isRecord } from '../internal/is-record.js';
import { unknownKeyProblems } from '../internal/suggest.js';

/** What `registerTools` and a program's `tools` accept: builtin names, tools, definitions. */
export type ToolInput = string | Tool | ToolDefinition<never>;

// Kept equal to the Tool interface by `satisfies`, like define-tool's list for definitions.
const toolKeys = Object.keys({
  name: true,
  description: true,
  inputSchema: true,
  access: true,
  runsChildren: true,
  parse: true,
  execute: true,
} satisfies Record<keyof Tool, true>);

/** What a user writing a Tool by hand may call its fields, from a definition or another API. */
const toolKeysElsewhere = new Map<string, keyof Tool>([
  ['parameters', 'inputSchema'], // a definition's name for it
  ['schema', 'inputSchema'],
  ['handler', 'execute'],
  ['func', 'execute'],
  ['fn', 'execute'],
  ['run', 'execute'],
  ['call', 'execute'],
  ['invoke', 'execute'],
  ['validate', 'parse'],
  ['permission', 'access'],
  ['accessLevel', 'access'],
]);

/** A built tool (from defineTool or made by hand) rather than a definition: it has its own parse. */
function looksLikeTool(value: Record<string, unknown>): boolean {
  return 'parse' in value && 'inputSchema' in value;
}

/** The problem with a hand-made Tool object, or undefined when the loop can run it. */
function toolProblem(tool: Record<string, unknown>): string | undefined {
  // Only a literal object is checked for unknown keys: a class instance may hold fields of its own.
  const unknownKeys = isPlainObject(tool)
    ? unknownKeyProblems(tool, toolKeys, 'a Tool', toolKeysElsewhere)
    : [];
  if (unknownKeys.length > 0) return unknownKeys.join('; ');
  if (!isValidToolName(tool['name']))
    return `name must be a string of 1-64 letters, digits, "_" or "-"; got ${describeKind(tool['name'])}`;
  if (typeof tool['execute'] !== 'function')
    return `execute must be a function; got ${describeKind(tool['execute'])}`;
  if (typeof tool['parse'] !== 'function')
    return `parse must be a function; got ${describeKind(tool['parse'])}`;
  if (!isRecord(tool['inputSchema']))
    return `inputSchema must be a JSON Schema object; got ${describeKind(tool['inputSchema'])}`;
  if (typeof tool['description'] !== 'string')
    return `description must be a string; got ${describeKind(tool['description'])}`;
  try {
    parseAccessLevel(tool['access']);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/**
 * Check one entry of a tool list and make it usable: a builtin's name, or a Tool. Throws at once,
 * naming the entry's index and tool, for anything the loop could not run: an unknown builtin, a
 * value that is no tool at all, a definition without a callable `execute`, an invalid name, a
 * schema that is not an object.
 *
 * @throws LlmprocError UNKNOWN_TOOL for an unknown builtin name, TOOL_INVALID for anything else,
 *   with `details.index` and `details.tool`.
 */
export function toolFromInput(input: unknown, index: number): BuiltinToolName | Tool {
  const where = `tools[${String(index)}]`;
  const fail = (
    tool: string | undefined,
    problem: string,
    cause?: unknown,
    code: ErrorCode = 'TOOL_INVALID',
  ): LlmprocError =>
    new LlmprocError(
      code,
      `${where}${tool === undefined ? '' : ` (${JSON.stringify(tool)})`}: ${problem}`,
      { details: { index, ...(tool === undefined ? {} : { tool }) }, cause },
    );
  if (typeof input === 'string') {
    if (isBuiltinToolName(input)) return input;
    throw fail(
      input,
      `Unknown tool name: '${input}' (expected one of ${builtinToolNames.join(', ')})`,
      undefined,
      'UNKNOWN_TOOL',
    );
  }
  if (!isRecord(input)) {
    throw fail(
      undefined,
      `expected a builtin tool name, a tool from defineTool or a tool definition; got ${describeKind(input)}`,
    );
  }
  const name = typeof input['name'] === 'string' ? input['name'] : undefined;
  if (looksLikeTool(input)) {
    const problem = toolProblem(input);
    if (problem !== undefined) throw fail(name, problem);
    return input as unknown as Tool;
  }
  try {
    return defineTool(input as unknown as ToolDefinition);
  } catch (error) {
    // defineTool's message starts with the tool's name; say it once, with the index.
    const message = (error as Error).message.replace(/^Tool "[^"]*": /, '');
    throw fail(name, message, error);
  }
}
