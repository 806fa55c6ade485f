import { z } from '../internal/zod.js';
import { LlmprocError } from '../errors.js';
import { AccessLevel, parseAccessLevel } from './access-level.js';
import { isPlainObject, isRecord } from '../internal/is-record.js';
import { unknownKeyProblems } from '../internal/suggest.js';
import { compileArgumentSchema, type ArgumentCheck, type ArgumentProblem } from './json-schema.js';
import type { Tool, ToolContext } from './types.js';

type JsonSchemaObject = Record<string, unknown>;

/** A function tool's definition: arguments described by a zod object schema or by a JSON Schema. */
export interface ToolDefinition<Args extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  description?: string;
  /** A zod schema (checked with zod) or a JSON Schema object (converted to zod for checking). */
  parameters?: z.ZodType<Args> | JsonSchemaObject;
  /** Default `write`, as in the original. */
  access?: AccessLevel | 'read' | 'write' | 'admin';
  /** Return a string, any JSON value, or a ToolResult; throw (or reject) to report an error to the model. */
  execute(args: Args, context: ToolContext): unknown;
  /** The tool runs child processes with `process.forkProcess()` or spawn (see `Tool.runsChildren`). */
  runsChildren?: boolean;
}

// `satisfies Record<keyof ToolDefinition, true>` keeps this list equal to the interface: a field
// added to one and not the other is a type error, so a new field is never refused as unknown.
const definitionKeys = Object.keys({
  name: true,
  description: true,
  parameters: true,
  access: true,
  execute: true,
  runsChildren: true,
} satisfies Record<keyof ToolDefinition, true>);

/** What other tool APIs call a definition's fields: the field a user coming from one meant. */
const definitionKeysElsewhere = new Map<string, keyof ToolDefinition>([
  ['input_schema', 'parameters'], // Anthropic's tool spec
  ['inputSchema', 'parameters'], // MCP, the Vercel AI SDK, and llmproc's own built Tool
  ['schema', 'parameters'], // LangChain
  ['params', 'parameters'],
  ['arguments', 'parameters'],
  ['args', 'parameters'],
  ['handler', 'execute'],
  ['func', 'execute'], // LangChain
  ['fn', 'execute'],
  ['run', 'execute'],
  ['call', 'execute'],
  ['invoke', 'execute'],
  ['callback', 'execute'],
  ['permission', 'access'],
  ['accessLevel', 'access'],
]);

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** Whether `name` can be sent to every provider as a tool name. */
export function isValidToolName(name: unknown): name is string {
  return typeof name === 'string' && toolNamePattern.test(name);
}

function isZodSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

/** The text the model sees for bad arguments; a missing top-level parameter keeps the original's words. */
export function describeArgumentProblems(
  toolName: string,
  problems: readonly ArgumentProblem[],
): string {
  const missing = problems.find((problem) => problem.missingParameter !== undefined);
  if (missing?.missingParameter !== undefined)
    return `Tool '${toolName}' error: Missing required parameter: ${missing.missingParameter}`;
  const details = problems
    .map((problem) =>
      problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`,
    )
    .join('; ');
  return `Tool '${toolName}' error: Invalid arguments: ${details}`;
}

/** zod's issues as argument problems, naming a missing parameter as the original does. */
function problemsFromZod(
  issues: readonly z.core.$ZodIssue[],
  args: Record<string, unknown>,
): ArgumentProblem[] {
  return issues.map((issue) => {
    const [first] = issue.path;
    if (
      issue.code === 'invalid_type' &&
      issue.path.length === 1 &&
      first !== undefined &&
      !(String(first) in args)
    )
      return { path: '', message: issue.message, missingParameter: String(first) };
    return { path: issue.path.join('.'), message: issue.message };
  });
}

/**
 * Build a tool from a definition: its JSON Schema for the model, its argument check, its handler.
 *
 * @example
 * ```ts
 * import { z } from '../internal/zod.js';
 * import { defineTool } from 'llmproc';
 * const weather = defineTool({
 *   name: 'get_weather',
 *   description: 'Current weather for a city',
 *   parameters: z.object({ city: z.string().describe('City name') }),
 *   execute: ({ city }) => `Sunny in ${city}`,
 * });
 * ```
 */
export function defineTool<Args extends Record<string, unknown>>(
  definition: ToolDefinition<Args>,
): Tool {
  // Checked here rather than trusted to the types: definitions also come from plain JavaScript and
  // from data, and a bad one must fail now, not when the model first calls it.
  const given: unknown = definition;
  if (!isRecord(given))
    throw new LlmprocError(
      'TOOL_INVALID',
      `A tool definition must be an object with name, parameters and execute; got ${describeKind(given)}`,
    );
  const { name } = definition;
  if (!isValidToolName(name)) {
    throw new LlmprocError(
      'TOOL_INVALID',
      `Tool name ${typeof name === 'string' ? JSON.stringify(name) : describeKind(name)} must be a string of 1-64 letters, digits, "_" or "-"`,
    );
  }
  // A key the definition does not have would be dropped without a word (`input_schema` where
  // llmproc reads `parameters`, and the model would get a tool without arguments). Only literal
  // objects are checked: a class instance may hold fields of its own.
  const unknownKeys = isPlainObject(given)
    ? unknownKeyProblems(given, definitionKeys, 'a tool definition', definitionKeysElsewhere)
    : [];
  if (unknownKeys.length > 0)
    throw new LlmprocError('TOOL_INVALID', `Tool "${name}": ${unknownKeys.join('; ')}`);
  const execute: unknown = given['execute'];
  if (typeof execute !== 'function') {
    throw new LlmprocError(
      'TOOL_INVALID',
      `Tool "${name}": execute must be a function; got ${describeKind(execute)}`,
    );
  }
  const access = parseAccessLevel(definition.access ?? AccessLevel.WRITE);
  const { check, inputSchema } = schemaPair(name, definition.parameters);
  let schema: JsonSchemaObject | undefined;
  return {
    name,
    description: definition.description ?? `Tool for ${name}`,
    // Converted on first use: the builtin tools are defined when the module loads, and converting
    // every one then would slow down the start of every program and of the CLI.
    get inputSchema(): JsonSchemaObject {
      schema ??= inputSchema();
      return schema;
    },
    access,
    ...(definition.runsChildren === true ? { runsChildren: true } : {}),
    parse(args) {
      const checked = check(args);
      if (checked.ok) return checked;
      return { ok: false, error: describeArgumentProblems(name, checked.problems) };
    },
    execute: (args, context) => definition.execute(args as Args, context),
  };
}

/** "a number 123", "null", "a function": what a wrong value is, for registration errors. */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `a string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}

function schemaPair(
  toolName: string,
  parameters: unknown,
): {
  check: (args: Record<string, unknown>) => ArgumentCheck;
  inputSchema: () => JsonSchemaObject;
} {
  if (parameters === undefined) {
    return {
      check: (args) => ({ ok: true, value: args }),
      inputSchema: () => ({ type: 'object', properties: {} }),
    };
  }
  if (isZodSchema(parameters)) {
    if (!(parameters instanceof z.ZodObject)) {
      throw new LlmprocError(
        'TOOL_INVALID',
        `Tool "${toolName}": parameters must be a zod object schema`,
      );
    }
    const toJsonSchema = (): JsonSchemaObject => {
      const converted = z.toJSONSchema(parameters, {
        io: 'input',
        unrepresentable: 'any',
      }) as JsonSchemaObject;
      delete converted['$schema'];
      return converted;
    };
    const check = (args: Record<string, unknown>): ArgumentCheck => {
      const parsed = parameters.safeParse(args);
      if (parsed.success) return { ok: true, value: parsed.data };
      return { ok: false, problems: problemsFromZod(parsed.error.issues, args) };
    };
    return { check, inputSchema: toJsonSchema };
  }
  if (!isRecord(parameters)) {
    throw new LlmprocError(
      'TOOL_INVALID',
      `Tool "${toolName}": parameters must be a zod object schema or a JSON Schema object; got ${describeKind(parameters)}`,
    );
  }
  const declaredType = parameters['type'];
  if (declaredType !== undefined && declaredType !== 'object') {
    throw new LlmprocError(
      'TOOL_INVALID',
      `Tool "${toolName}": parameters must describe an object (type "object"); got type ${JSON.stringify(declaredType)}`,
    );
  }
  const inputSchema: JsonSchemaObject = { type: 'object', properties: {}, ...parameters };
  return { check: compileArgumentSchema(toolName, inputSchema), inputSchema: () => inputSchema };
}
