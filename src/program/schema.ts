/**
 * The raw program config schema: the TOML/YAML keys of llmproc 0.9.2, in their snake_case spelling,
 * validated with zod. `normalize.ts` turns the parsed result into a {@link ProgramConfig}.
 *
 * Differences from 0.9.2, on purpose:
 * - Unknown keys are errors in every section (0.9.2 dropped them silently inside sections), except
 *   in `[parameters]` (free-form, unknown names warn) and `[env_info]` (extra string keys become
 *   `key: value` lines; any other extra value is an error).
 * - Checks the original declared but never ran now run: `model.provider` must be a known provider,
 *   `model.max_iterations` and the `[file_descriptor]` sizes must be positive integers.
 * - `env_info.variables` names must be known (0.9.2 skipped unknown names silently).
 * - `[tools.mcp]` needs an `[mcp]` section; with embedded `[mcp.servers]`, every server it names must
 *   be defined there.
 *
 * Extensions beyond 0.9.2 (0.9.2 accepted and ignored the first two):
 * - `[model].display_name`: the display name, used when `[demo].display_name` is absent.
 * - `[tools].aliases`: a table `alias = "real tool name"` (builtin, MCP `server__tool`, or a
 *   function tool registered in code).
 * - `[model].stream` (bool, default false): stream responses unless `run()` says otherwise.
 * - `[model].base_url`: an http(s) URL replacing the provider's API endpoint (gateways, proxies).
 * - `[model].api_key_env` (the variable holding the key: OpenAI-compatible servers, Azure),
 *   `[model].deployment` and `[model].api_version` (Azure OpenAI); a provider that does not read
 *   one of these keys refuses it (providers/<name>/index.ts declares which it reads).
 * - `[budget]`: default limits of every run, `max_tokens`, `max_cost_usd`, `timeout_ms`.
 * - `[mock]`: the script of the `mock` provider (`[[mock.turns]]` tables and `fallback_text`).
 * - `env_info.variables` accepts `node_version`; `python_version` (from configs written for the
 *   original) means the same, since the runtime here is Node.
 */
import { z } from '../internal/zod.js';
import { requireMcpEndpoint } from '../tools/mcp/endpoint.js';
import { providerNames } from '../providers/registry.js';
import { builtinToolNames, isBuiltinToolName } from '../tools/builtin/names.js';
import { omitGot, rememberKnownKeys } from './issues.js';
import { parametersSchema } from './params.js';

/** `env_info.variables` names, besides `"all"`; `python_version` is read as `node_version`. */
export const envVariableNames = [
  'working_directory',
  'platform',
  'date',
  'node_version',
  'python_version',
  'hostname',
  'username',
  'file_map',
] as const;

const knownVariables: readonly string[] = envVariableNames;
const fdToolNames: readonly string[] = ['read_fd', 'fd_to_file'];

const positiveInt = z
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });
const nonNegativeInt = z
  .int({ error: 'must be a non-negative integer' })
  .nonnegative({ error: 'must be a non-negative integer' });
const nonEmpty = z.string().min(1);
const stringTable = z.record(z.string(), z.string());

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === 'http:' || protocol === 'https:';
}
const httpUrl = z.string().refine(isHttpUrl, { error: 'must be an http(s) URL' });

/** Access levels are case-insensitive, as in the original. */
const accessLevel = z.preprocess(
  (value) => (typeof value === 'string' ? value.toLowerCase() : value),
  z.enum(['read', 'write', 'admin'], { error: 'must be one of read, write, admin' }),
);

/** Reject a key and its alias both being set (`system` and `system_prompt`). */
function oneOfAliases(
  object: Record<string, unknown>,
  ctx: z.RefinementCtx,
  canonical: string,
  alias: string,
): void {
  if (object[canonical] !== undefined && object[alias] !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [alias],
      message: `is an alias of "${canonical}", which is also set; set only one of them`,
      params: omitGot,
    });
  }
}

/** USD per million tokens. */
const nonNegativePrice = z
  .number({ error: 'must be a number (USD per million tokens)' })
  .nonnegative({
    error: 'must be a non-negative number (USD per million tokens)',
  });

const modelSchema = z.strictObject({
  name: nonEmpty,
  provider: z.enum(providerNames, { error: `must be one of ${providerNames.join(', ')}` }),
  max_iterations: positiveInt.default(10),
  disable_automatic_caching: z.boolean().default(false),
  project_id: nonEmpty.optional(),
  region: nonEmpty.optional(),
  display_name: nonEmpty.optional(),
  stream: z.boolean().default(false),
  base_url: httpUrl.optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
      error: 'must be the name of an environment variable (letters, digits, _)',
    })
    .optional(),
  deployment: nonEmpty.optional(),
  api_version: nonEmpty.optional(),
  price: z
    .strictObject({
      input: nonNegativePrice,
      output: nonNegativePrice,
      cache_read: nonNegativePrice.optional(),
      cache_write: nonNegativePrice.optional(),
    })
    .optional(),
});

const promptSchema = z
  .strictObject({
    system_prompt: z.string().optional(),
    system: z.string().optional(),
    system_prompt_file: nonEmpty.optional(),
    user: z.string().optional(),
    user_prompt: z.string().optional(),
  })
  .superRefine((prompt, ctx) => {
    oneOfAliases(prompt, ctx, 'system_prompt', 'system');
    oneOfAliases(prompt, ctx, 'user', 'user_prompt');
  });

const preloadSchema = z.strictObject({
  files: z.array(nonEmpty).default(() => []),
  relative_to: z.enum(['program', 'cwd']).default('program'),
});

const mcpServerSchema = z
  .strictObject({
    type: z.enum(['stdio', 'sse', 'streamable_http']).default('stdio'),
    command: nonEmpty.optional(),
    args: z.array(z.string()).default(() => []),
    url: httpUrl.optional(),
    env: stringTable.default(() => ({})),
    description: z.string().optional(),
  })
  .superRefine((server, ctx) => {
    requireMcpEndpoint(server, ctx, { command: ' (a string)', url: ' (an http(s) URL)' });
  });

const mcpSchema = z.strictObject({
  config_path: nonEmpty.optional(),
  servers: z.record(z.string(), mcpServerSchema).optional(),
});

const builtinName = z.string().superRefine((name, ctx) => {
  if (!isBuiltinToolName(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `Unknown tool name: '${name}' (expected one of ${builtinToolNames.join(', ')})`,
      params: omitGot,
    });
  }
});

const toolOverrides = {
  alias: nonEmpty.optional(),
  description: z.string().optional(),
  param_descriptions: stringTable.optional(),
  access: accessLevel.optional(),
};

const builtinEntry = z.union(
  [builtinName, z.strictObject({ name: builtinName, ...toolOverrides })],
  {
    error:
      'must be a builtin tool name or a table { name, alias, description, param_descriptions, access }',
  },
);

const mcpSelectionError =
  'must be "all", a list of tool names or tables, or a table of tool name = access level or settings';
const mcpSelection = z.union(
  [
    z.literal('all', { error: mcpSelectionError }),
    z.array(
      z.union([nonEmpty, z.strictObject({ name: nonEmpty, ...toolOverrides })], {
        error:
          'must be a tool name or a table { name, access, alias, description, param_descriptions }',
      }),
    ),
    z.record(
      z.string(),
      z.union([accessLevel, z.strictObject(toolOverrides)], {
        error:
          'must be an access level (read, write, admin) or a table { access, alias, description, param_descriptions }',
      }),
    ),
  ],
  { error: mcpSelectionError },
);

const toolsSchema = z
  .strictObject({
    builtin: z.array(builtinEntry).optional(),
    enabled: z.array(builtinEntry).optional(),
    mcp: z.record(z.string(), mcpSelection).optional(),
    aliases: z.record(z.string(), nonEmpty).optional(),
    file_roots: z.array(nonEmpty).optional(),
    max_read_bytes: positiveInt.optional(),
    max_result_chars: positiveInt.optional(),
  })
  .superRefine((tools, ctx) => {
    oneOfAliases(tools, ctx, 'builtin', 'enabled');
  });

const envInfoKnownKeys = {
  variables: z.union([z.string(), z.array(z.string())], {
    error: 'must be "all", a variable name, or a list of names',
  }),
  commands: z.array(nonEmpty).default(() => []),
  env_vars: stringTable.default(() => ({})),
  file_map_root: nonEmpty.optional(),
  file_map_max_files: positiveInt.default(50),
  file_map_show_size: z.boolean().default(true),
};

/** Keys of `[env_info]` with a meaning; any other key is a custom `key: value` line. */
export const envInfoKeys: readonly string[] = Object.keys(envInfoKnownKeys);

const envInfoSchema = z
  .looseObject({ ...envInfoKnownKeys, variables: envInfoKnownKeys.variables.optional() })
  .superRefine((envInfo, ctx) => {
    const variables = envInfo.variables;
    const names = typeof variables === 'string' ? [variables] : (variables ?? []);
    names.forEach((name, index) => {
      if (name !== 'all' && !knownVariables.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: typeof variables === 'string' ? ['variables'] : ['variables', index],
          message: `must be "all" or one of ${envVariableNames.join(', ')}`,
        });
      }
    });
    for (const [key, value] of Object.entries(envInfo)) {
      if (!envInfoKeys.includes(key) && typeof value !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `must be a string: extra [env_info] keys become "key: value" lines (known keys: ${envInfoKeys.join(', ')})`,
        });
      }
    }
  });

const fileDescriptorSchema = z.strictObject({
  enabled: z.boolean().default(false),
  max_direct_output_chars: positiveInt.default(8000),
  default_page_size: positiveInt.default(4000),
  max_input_chars: positiveInt.default(8000),
  page_user_input: z.boolean().default(true),
  enable_references: z.boolean().default(false),
});

const linkedProgramsSchema = z.record(
  z.string(),
  z.union([nonEmpty, z.strictObject({ path: nonEmpty, description: z.string().default('') })], {
    error: 'must be a path or a table { path, description }',
  }),
);

const demoSchema = z.strictObject({
  prompts: z.array(z.string()).default(() => []),
  pause_between_prompts: z.boolean().default(true),
  display_name: nonEmpty.optional(),
});

// The mock section is also written from code (`fromDict`, `new LLMProgram({ mock })`), where
// camelCase is natural, so both spellings are accepted here and only here.
const mockToolCall = z.strictObject({
  name: nonEmpty,
  args: z.record(z.string(), z.unknown()).default(() => ({})),
  id: nonEmpty.optional(),
});
const mockUsage = z
  .strictObject({
    input_tokens: nonNegativeInt.optional(),
    output_tokens: nonNegativeInt.optional(),
    inputTokens: nonNegativeInt.optional(),
    outputTokens: nonNegativeInt.optional(),
  })
  .superRefine((usage, ctx) => {
    oneOfAliases(usage, ctx, 'input_tokens', 'inputTokens');
    oneOfAliases(usage, ctx, 'output_tokens', 'outputTokens');
  });
// A scripted failure: the call rejects with a ProviderError carrying these (docs/testing.md).
const mockError = z
  .strictObject({
    status: z.number().int().min(100).max(599).optional(),
    message: z.string().optional(),
    retryable: z.boolean().optional(),
    type: nonEmpty.optional(),
    request_id: nonEmpty.optional(),
    requestId: nonEmpty.optional(),
  })
  .superRefine((error, ctx) => {
    oneOfAliases(error, ctx, 'request_id', 'requestId');
  });
const mockTurn = z
  .strictObject({
    text: z.string().optional(),
    tool_calls: z.array(mockToolCall).optional(),
    toolCalls: z.array(mockToolCall).optional(),
    when: nonEmpty.optional(),
    stop_reason: nonEmpty.optional(),
    stopReason: nonEmpty.optional(),
    usage: mockUsage.optional(),
    delay_ms: nonNegativeInt.optional(),
    delayMs: nonNegativeInt.optional(),
    error: mockError.optional(),
  })
  .superRefine((turn, ctx) => {
    oneOfAliases(turn, ctx, 'tool_calls', 'toolCalls');
    oneOfAliases(turn, ctx, 'stop_reason', 'stopReason');
    oneOfAliases(turn, ctx, 'delay_ms', 'delayMs');
  });
const mockSchema = z
  .strictObject({
    turns: z.array(mockTurn).default(() => []),
    fallback_text: z.string().optional(),
    fallbackText: z.string().optional(),
  })
  .superRefine((mock, ctx) => {
    oneOfAliases(mock, ctx, 'fallback_text', 'fallbackText');
  });

// `[output]`: the structured answer every run of the program returns (docs/output.md).
const outputSchema = z
  .strictObject({
    schema_file: nonEmpty.optional(),
    schema: z.record(z.string(), z.unknown()).optional(),
    retries: nonNegativeInt.optional(),
  })
  .superRefine((output, ctx) => {
    if ((output.schema_file === undefined) === (output.schema === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'needs exactly one of "schema_file" (a JSON Schema file) or "schema" (inline)',
      });
    }
  });
const budgetSchema = z.strictObject({
  max_tokens: positiveInt.optional(),
  max_cost_usd: z
    .number({ error: 'must be a positive number (US dollars)' })
    .positive({ error: 'must be a positive number (US dollars)' })
    .optional(),
  timeout_ms: positiveInt.optional(),
});

const sections = {
  model: modelSchema,
  budget: budgetSchema.optional(),
  prompt: promptSchema.optional(),
  parameters: parametersSchema.optional(),
  preload: preloadSchema.optional(),
  mcp: mcpSchema.optional(),
  tools: toolsSchema.optional(),
  env_info: envInfoSchema.optional(),
  file_descriptor: fileDescriptorSchema.optional(),
  linked_programs: linkedProgramsSchema.optional(),
  demo: demoSchema.optional(),
  mock: mockSchema.optional(),
  output: outputSchema.optional(),
};

const sectionNames = Object.keys(sections).join(', ');

/** Every section's own rules; `rawConfigSchema` (schema-rules.ts) adds the cross-section ones. */
export const rawSectionsSchema = z.strictObject(sections, {
  error: (issue) => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    rememberKnownKeys(issue.keys, Object.keys(sections));
    return `is not a known section (expected one of: ${sectionNames})`;
  },
});

/** A config as parsed by {@link rawSectionsSchema}: raw keys, defaults filled. */
export type RawProgramConfig = z.output<typeof rawSectionsSchema>;
/** One `[tools].builtin` entry as written: a name or a table. */
export type RawBuiltinEntry = z.output<typeof builtinEntry>;
/** One server's `[tools.mcp]` selection as written: "all", a list, or a table. */
export type RawMcpSelection = z.output<typeof mcpSelection>;

/** Whether a builtin entry list names a file-descriptor tool (which switches the fd system on). */
export function hasFdTool(entries: readonly RawBuiltinEntry[]): boolean {
  return entries.some((entry) =>
    fdToolNames.includes(typeof entry === 'string' ? entry : entry.name),
  );
}
