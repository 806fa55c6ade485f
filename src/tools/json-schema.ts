import { createRequire } from 'node:module';
import type { Ajv as AjvInstance, ErrorObject, Options, ValidateFunction } from 'ajv';
import { errorMessage, LlmprocError } from '../errors.js';

/** What a tool's argument check answers: the arguments, or the problems found, phrased for the model. */
export type ArgumentCheck =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problems: readonly ArgumentProblem[] };

/** One thing wrong with a model's arguments: where (`a.b[0]`, empty at the top), and what. */
export interface ArgumentProblem {
  path: string;
  message: string;
  /** Set when a required parameter is missing at the top level: the model gets the original's text. */
  missingParameter?: string;
}

type AjvConstructor = new (options: Options) => AjvInstance;

// ajv is loaded on the first JSON Schema tool, synchronously (tools are registered in constructors),
// and not before: it takes longer to load than a whole mock run, and most programs never need it.
const require = createRequire(import.meta.url);
type Draft = '2020-12' | '2019-09' | 'draft-07';
const validators = new Map<`${Draft}/${'all' | 'first'}`, AjvInstance>();

function validatorFor(draft: Draft, allErrors: boolean): AjvInstance {
  const key = `${draft}/${allErrors ? 'all' : 'first'}` as const;
  let ajv = validators.get(key);
  if (ajv) return ajv;
  const module =
    draft === '2020-12'
      ? (require('ajv/dist/2020.js') as { Ajv2020: AjvConstructor }).Ajv2020
      : draft === '2019-09'
        ? (require('ajv/dist/2019.js') as { Ajv2019: AjvConstructor }).Ajv2019
        : (require('ajv') as { Ajv: AjvConstructor }).Ajv;
  ajv = new module({
    // Schemas come from pydantic, zod, MCP servers: keywords ajv does not know (title, examples,
    // vendor extensions) are annotations, not mistakes.
    strict: false,
    // `format` is an annotation in 2020-12 unless a vocabulary asks for it, and no format library is
    // bundled; checking only some formats would be worse than none.
    validateFormats: false,
    // Two tools may use the same `$id`; each schema is compiled on its own, never added by id.
    addUsedSchema: false,
    // For tool arguments the first failures are enough for the model to correct its call, and
    // stopping early keeps a hostile argument from making the check slow. A structured answer is
    // checked once per run and its every issue goes back to the model, so it asks for all.
    allErrors,
    logger: false,
  });
  validators.set(key, ajv);
  return ajv;
}

/** The draft a schema's `$schema` names; no `$schema` is taken as 2020-12, what pydantic and zod emit. */
function draftOf(schema: Record<string, unknown>): Draft | undefined {
  const declared = schema['$schema'];
  if (declared === undefined) return undefined;
  if (typeof declared !== 'string') return '2020-12';
  if (declared.includes('2020-12')) return '2020-12';
  if (declared.includes('2019-09')) return '2019-09';
  if (/draft-0[67]/.test(declared)) return 'draft-07';
  return '2020-12';
}

/**
 * Compile a tool's JSON Schema once, at registration, into its argument check. Drafts 2020-12,
 * 2019-09, 07 and 06 are understood (`$ref`/`$defs`/`definitions`, `anyOf`/`oneOf`, `enum`,
 * `const`, `additionalProperties`...). A schema without `$schema` that is not valid 2020-12 (for
 * example draft-07's array form of `items`) is tried as draft-07.
 *
 * @throws LlmprocError TOOL_INVALID when the schema is not a valid JSON Schema.
 */
export function compileArgumentSchema(
  toolName: string,
  schema: Record<string, unknown>,
): (args: Record<string, unknown>) => ArgumentCheck {
  let validate: ValidateFunction;
  try {
    validate = compileJsonSchema(schema);
  } catch (error) {
    throw invalidSchema(toolName, error);
  }
  return (args) => {
    if (validate(args)) return { ok: true, value: args };
    return { ok: false, problems: (validate.errors ?? []).slice(0, 5).map(describeError) };
  };
}

/**
 * The one JSON Schema compile of the library (tool parameters, structured output): the draft its
 * `$schema` names, else 2020-12 and then draft-07. Throws ajv's error for a schema that is not valid.
 * `allErrors` reports every failure instead of the first.
 */
export function compileJsonSchema(
  schema: Record<string, unknown>,
  options: { allErrors?: boolean } = {},
): ValidateFunction {
  const declared = draftOf(schema);
  const allErrors = options.allErrors ?? false;
  try {
    return compileWith(declared ?? '2020-12', schema, allErrors);
  } catch (error) {
    if (declared !== undefined) throw error;
    try {
      return compileWith('draft-07', schema, allErrors);
    } catch {
      throw error;
    }
  }
}

function compileWith(
  draft: Draft,
  schema: Record<string, unknown>,
  allErrors: boolean,
): ValidateFunction {
  // The `$schema` of draft-06 is not registered in ajv; draft-07 checks the same keywords.
  const { $schema: _declared, ...rest } = schema;
  return validatorFor(draft, allErrors).compile(draft === '2020-12' ? schema : rest);
}

function invalidSchema(toolName: string, error: unknown): LlmprocError {
  return new LlmprocError(
    'TOOL_INVALID',
    `Tool "${toolName}": its parameters are not a valid JSON Schema: ${errorMessage(error)}`,
    { cause: error },
  );
}

/** `/a/0/b` (a JSON Pointer) as `a[0].b`. */
function pathText(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

function describeError(error: ErrorObject): ArgumentProblem {
  const path = pathText(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const message = error.message ?? error.keyword;
  switch (error.keyword) {
    case 'required': {
      const property = String(params['missingProperty']);
      return path === ''
        ? { path, message: `missing required parameter ${property}`, missingParameter: property }
        : { path, message: `missing required property ${property}` };
    }
    case 'additionalProperties':
      return { path, message: `unexpected property ${String(params['additionalProperty'])}` };
    case 'enum':
      return {
        path,
        message: `must be one of ${JSON.stringify(params['allowedValues'])}`,
      };
    case 'const':
      return { path, message: `must be ${JSON.stringify(params['allowedValue'])}` };
    default:
      return { path, message };
  }
}
