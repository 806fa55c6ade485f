import { z } from '../internal/zod.js';
import { LlmprocError } from '../errors.js';
import { AccessLevel, parseAccessLevel } from './access-level.js';
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
}

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

function isZodSchema(value: unknown): value is z.ZodType {
  return value instanceof z.ZodType;
}

/** Turn zod issues into the text the model sees, naming missing parameters as the original does. */
export function describeArgumentIssues(
  toolName: string,
  issues: readonly z.core.$ZodIssue[],
  args: Record<string, unknown>,
): string {
  const missing = issues.find(
    (issue) =>
      issue.code === 'invalid_type' && issue.path.length === 1 && !(String(issue.path[0]) in args),
  );
  if (missing)
    return `Tool '${toolName}' error: Missing required parameter: ${String(missing.path[0])}`;
  const details = issues
    .map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
  return `Tool '${toolName}' error: Invalid arguments: ${details}`;
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
  const { name } = definition;
  if (!toolNamePattern.test(name)) {
    throw new LlmprocError(
      'INVALID_ARGUMENT',
      `Tool name "${name}" must be 1-64 letters, digits, "_" or "-"`,
    );
  }
  const access = parseAccessLevel(definition.access ?? AccessLevel.WRITE);
  const { validator, inputSchema } = schemaPair(name, definition.parameters);
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
    parse(args) {
      const parsed = validator.safeParse(args);
      if (parsed.success) return { ok: true, value: parsed.data as Record<string, unknown> };
      return { ok: false, error: describeArgumentIssues(name, parsed.error.issues, args) };
    },
    execute: (args, context) => definition.execute(args as Args, context),
  };
}

function schemaPair(
  toolName: string,
  parameters: z.ZodType | JsonSchemaObject | undefined,
): { validator: z.ZodType; inputSchema: () => JsonSchemaObject } {
  if (parameters === undefined) {
    return {
      validator: z.looseObject({}),
      inputSchema: () => ({ type: 'object', properties: {} }),
    };
  }
  if (isZodSchema(parameters)) {
    if (!(parameters instanceof z.ZodObject)) {
      throw new LlmprocError(
        'INVALID_ARGUMENT',
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
    return { validator: parameters, inputSchema: toJsonSchema };
  }
  const inputSchema: JsonSchemaObject = { type: 'object', properties: {}, ...parameters };
  let validator: z.ZodType;
  try {
    validator = z.fromJSONSchema(inputSchema);
  } catch (error) {
    throw new LlmprocError(
      'INVALID_ARGUMENT',
      `Tool "${toolName}": its JSON Schema cannot be checked`,
      {
        cause: error,
      },
    );
  }
  return { validator, inputSchema: () => inputSchema };
}
