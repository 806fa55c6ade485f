/**
 * Structured output: the schema a run's final answer must match (`run(input, { output })`), turned into
 * what providers send (a plain JSON Schema with a name) and into a validator for the answer.
 */
import type { z } from 'zod';
import { z as zod } from '../internal/zod.js';
import type { ErrorObject } from 'ajv';
import { compileJsonSchema } from '../tools/json-schema.js';
import { errorMessage, LlmprocError, type OutputIssue } from '../errors.js';
import type { OutputFormat } from '../providers/types.js';
import { isRecord } from '../internal/is-record.js';

/** A JSON Schema, as parsed JSON. */
export type JsonSchema = Record<string, unknown>;

/** What `run(input, { output })` takes: a zod schema (of an object) or a JSON Schema object. */
export type OutputSchema = z.core.$ZodType | JsonSchema;

/** The type of `RunResult.output` for a schema: inferred from a zod schema, `unknown` for JSON Schema. */
export type InferOutput<S> = S extends z.core.$ZodType ? z.output<S> : unknown;

/** How many times an invalid answer is sent back with its validation errors before OUTPUT_INVALID. */
export const DEFAULT_OUTPUT_RETRIES = 1;

/** The name used when the schema has no usable `title`: the forced tool's and json_schema's name. */
export const DEFAULT_OUTPUT_NAME = 'final_result';

export type OutputCheck = { ok: true; value: unknown } | { ok: false; issues: OutputIssue[] };

/** A schema ready for a run: what providers send, and how the final answer is checked. */
export interface ResolvedOutput {
  format: OutputFormat;
  /** Parse the final answer's text as JSON and validate it. */
  check(text: string): Promise<OutputCheck>;
}

function isZodSchema(schema: OutputSchema): schema is z.core.$ZodType {
  return '_zod' in schema;
}

/**
 * The JSON Schema providers receive: without `$schema` (OpenAI and Gemini reject unknown top-level
 * keys in some modes) and without the ±2^53 bounds zod puts on every `z.int()`, which say nothing to
 * a model and which Anthropic's structured output does not accept.
 */
export function cleanSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(cleanSchema);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    out[key] = cleanSchema(value);
  }
  return out;
}

/**
 * Whether OpenAI's strict mode can take the schema as it is: every object lists all its properties as
 * required and forbids others. zod objects without optional fields are; a schema that is not is sent
 * with `strict: false` rather than rewritten, so what the model is told is what is validated.
 */
export function isStrictCompatible(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictCompatible);
  if (!isRecord(node)) return true;
  const properties = node['properties'];
  if (node['type'] === 'object' || isRecord(properties)) {
    if (node['additionalProperties'] !== false) return false;
    const keys = isRecord(properties) ? Object.keys(properties) : [];
    const required = Array.isArray(node['required']) ? node['required'] : [];
    if (!keys.every((key) => required.includes(key))) return false;
  }
  return Object.values(node).every(isStrictCompatible);
}

function outputName(schema: JsonSchema): string {
  const title = schema['title'];
  return typeof title === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(title)
    ? title
    : DEFAULT_OUTPUT_NAME;
}

function toJsonSchema(schema: OutputSchema): JsonSchema {
  if (!isZodSchema(schema)) return schema;
  try {
    return zod.toJSONSchema(schema, { unrepresentable: 'any' });
  } catch (error) {
    throw new LlmprocError(
      'OUTPUT_SCHEMA_INVALID',
      `output: the zod schema cannot be expressed as JSON Schema for the model (${errorMessage(error)})`,
      { cause: error },
    );
  }
}

/** A zod issue path as a JSON Pointer, the form ajv reports, so both read the same. */
function pointer(path: readonly PropertyKey[]): string {
  return path.map((part) => `/${String(part)}`).join('');
}

/**
 * The final answer's JSON. Models asked for JSON sometimes wrap it in a Markdown fence anyway; the
 * fence is removed, nothing else is forgiven.
 */
export function parseAnswerJson(text: string): OutputCheck {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  if (body === '') return { ok: false, issues: [{ path: '', message: 'the answer is empty' }] };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return {
      ok: false,
      issues: [{ path: '', message: `is not valid JSON (${errorMessage(error)})` }],
    };
  }
}

/** An ajv failure as an issue: its JSON Pointer, and a message naming the property where ajv's does not. */
function toIssue(error: ErrorObject): OutputIssue {
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? error.keyword;
  if (error.keyword === 'required')
    message = `must have required property '${String(params['missingProperty'])}'`;
  if (error.keyword === 'additionalProperties')
    message = `must NOT have additional property '${String(params['additionalProperty'])}'`;
  return { path: error.instancePath, message };
}

function jsonSchemaValidator(schema: JsonSchema): (value: unknown) => Promise<OutputCheck> {
  let validate: ReturnType<typeof compileJsonSchema>;
  try {
    validate = compileJsonSchema(schema, { allErrors: true });
  } catch (error) {
    throw new LlmprocError(
      'OUTPUT_SCHEMA_INVALID',
      `output: not a valid JSON Schema (${errorMessage(error)})`,
      { cause: error },
    );
  }
  return (value) =>
    Promise.resolve(
      validate(value)
        ? { ok: true, value }
        : { ok: false, issues: (validate.errors ?? []).map(toIssue) },
    );
}

/**
 * Check a schema given to `run()` or a program and prepare it. The root must be an object schema:
 * every provider's native mechanism (and a tool's input) requires one.
 */
export function resolveOutput(schema: OutputSchema): ResolvedOutput {
  if (!isRecord(schema)) {
    throw new LlmprocError(
      'OUTPUT_SCHEMA_INVALID',
      'output must be a zod object schema or a JSON Schema object',
    );
  }
  const jsonSchema = cleanSchema(toJsonSchema(schema)) as JsonSchema;
  if (jsonSchema['type'] !== 'object') {
    throw new LlmprocError(
      'OUTPUT_SCHEMA_INVALID',
      `output: the schema must describe an object (type "object"); got ${JSON.stringify(jsonSchema['type'] ?? null)}`,
    );
  }
  const format: OutputFormat = {
    name: outputName(jsonSchema),
    schema: jsonSchema,
    strict: isStrictCompatible(jsonSchema),
  };
  const validate = isZodSchema(schema)
    ? (value: unknown): Promise<OutputCheck> => {
        const parsed = zod.safeParse(schema, value);
        return Promise.resolve(
          parsed.success
            ? { ok: true, value: parsed.data }
            : {
                ok: false,
                issues: parsed.error.issues.map((issue) => ({
                  path: pointer(issue.path),
                  message: issue.message,
                })),
              },
        );
      }
    : jsonSchemaValidator(jsonSchema);
  return {
    format,
    async check(text) {
      const parsed = parseAnswerJson(text);
      return parsed.ok ? validate(parsed.value) : parsed;
    },
  };
}
