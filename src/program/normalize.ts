/**
 * From a validated raw config (snake_case, as written) to a {@link ProgramConfig}: aliases resolved,
 * defaults filled, file paths absolute, the system prompt file read. Files a config points at are
 * checked here, so a bad path fails at load, naming the key, rather than at start().
 */
import type { ModelPrice } from '../cost/price-table.js';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, errorMessage } from '../errors.js';
import { getLogger } from '../internal/logger.js';
import { providerDefinition } from '../providers/registry.js';
import type { AccessLevel } from '../tools/access-level.js';
import { defaultMaxReadBytes } from '../tools/file-access.js';
import { defaultMaxResultChars } from '../tools/result-bounds.js';
import type {
  BuiltinToolEntry,
  EnvInfoConfig,
  FileDescriptorConfig,
  LinkedProgramEntry,
  McpServerConfig,
  McpToolEntry,
  McpToolSelection,
  MockScript,
  OutputConfig,
  MockTurn,
  ProgramConfig,
} from './config.js';
import { parameterWarnings } from './params.js';
import {
  envInfoKeys,
  hasFdTool,
  type RawBuiltinEntry,
  type RawMcpSelection,
  type RawProgramConfig,
} from './schema.js';

/** Where a config came from: the name used in messages, and the folder relative paths resolve against. */
export interface NormalizeContext {
  /** The file as the user gave it, or `<dict>`. */
  label: string;
  baseDir: string;
  /** Absolute path of the config file, when loaded from one. */
  sourceFile?: string;
}

/** "All" means the original's six standard variables (file_map must be asked for by name). */
const allVariables = [
  'working_directory',
  'platform',
  'date',
  'node_version',
  'hostname',
  'username',
];

const fileDescriptorDefaults: FileDescriptorConfig = {
  enabled: true,
  maxDirectOutputChars: 8000,
  defaultPageSize: 4000,
  maxInputChars: 8000,
  pageUserInput: true,
  enableReferences: false,
};

function where(context: NormalizeContext, keyPath: string): string {
  return `"${keyPath}" in ${context.label}`;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `[output]` with its schema read (a `schema_file` is JSON, relative to the config's folder). */
function outputConfig(
  raw: RawProgramConfig['output'],
  context: NormalizeContext,
): OutputConfig | undefined {
  if (raw === undefined) return undefined;
  const retries = raw.retries === undefined ? {} : { retries: raw.retries };
  if (raw.schema !== undefined) return { schema: structuredClone(raw.schema), ...retries };
  const given = raw.schema_file ?? '';
  const keyPath = 'output.schema_file';
  const resolved = path.resolve(context.baseDir, given);
  const fail = (problem: string): never => {
    throw new ConfigError('CONFIG_INVALID', `${where(context, keyPath)}: ${problem}`, {
      keyPath,
      ...(context.sourceFile === undefined ? {} : { file: context.sourceFile }),
    });
  };
  if (!isFile(resolved)) return fail(`schema file '${given}' not found (resolved: '${resolved}')`);
  let schema: unknown;
  try {
    schema = JSON.parse(fs.readFileSync(resolved, 'utf8'));
  } catch (error) {
    return fail(`'${given}' is not JSON (${errorMessage(error)})`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return fail(`'${given}' must hold a JSON Schema object`);
  }
  return { schema: schema as Record<string, unknown>, ...retries };
}

function readSystemPromptFile(given: string, context: NormalizeContext): string {
  const resolved = path.resolve(context.baseDir, given);
  const keyPath = 'prompt.system_prompt_file';
  if (!isFile(resolved)) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `System prompt file not found - Specified: '${given}', Resolved: '${resolved}' (from ${where(context, keyPath)})`,
      { keyPath, ...(context.sourceFile === undefined ? {} : { file: context.sourceFile }) },
    );
  }
  return fs.readFileSync(resolved, 'utf8');
}

/** A tool entry with the overrides a config table may set (builtin and MCP entries share them). */
function toolEntry(
  name: string,
  raw: {
    alias?: string | undefined;
    description?: string | undefined;
    param_descriptions?: Record<string, string> | undefined;
    access?: AccessLevel | undefined;
  },
): BuiltinToolEntry & McpToolEntry {
  return {
    name,
    ...(raw.alias === undefined ? {} : { alias: raw.alias }),
    ...(raw.description === undefined ? {} : { description: raw.description }),
    ...(raw.param_descriptions === undefined
      ? {}
      : { paramDescriptions: { ...raw.param_descriptions } }),
    ...(raw.access === undefined ? {} : { access: raw.access }),
  };
}

function builtinEntry(entry: RawBuiltinEntry): BuiltinToolEntry {
  return typeof entry === 'string' ? { name: entry } : toolEntry(entry.name, entry);
}

function mcpSelection(selection: RawMcpSelection): McpToolSelection {
  if (selection === 'all') return { all: true, access: 'write' };
  if (Array.isArray(selection)) {
    return {
      all: false,
      tools: selection.map((entry): McpToolEntry =>
        typeof entry === 'string' ? { name: entry } : toolEntry(entry.name, entry),
      ),
    };
  }
  return {
    all: false,
    tools: Object.entries(selection).map(([name, settings]): McpToolEntry =>
      typeof settings === 'string' ? { name, access: settings } : toolEntry(name, settings),
    ),
  };
}

function mcpServer(
  raw: NonNullable<NonNullable<RawProgramConfig['mcp']>['servers']>[string],
): McpServerConfig {
  return {
    type: raw.type,
    args: [...raw.args],
    env: { ...raw.env },
    ...(raw.command === undefined ? {} : { command: raw.command }),
    ...(raw.url === undefined ? {} : { url: raw.url }),
    ...(raw.description === undefined ? {} : { description: raw.description }),
  };
}

function mcpConfig(raw: RawProgramConfig['mcp'], context: NormalizeContext): ProgramConfig['mcp'] {
  if (raw === undefined || (raw.config_path === undefined && raw.servers === undefined))
    return undefined;
  let configPath: string | undefined;
  if (raw.config_path !== undefined) {
    configPath = path.resolve(context.baseDir, raw.config_path);
    if (!isFile(configPath)) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `MCP config file not found - Specified: '${raw.config_path}', Resolved: '${configPath}' (from ${where(context, 'mcp.config_path')})`,
        {
          keyPath: 'mcp.config_path',
          ...(context.sourceFile === undefined ? {} : { file: context.sourceFile }),
        },
      );
    }
  }
  const servers =
    raw.servers === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(raw.servers).map(([name, server]) => [name, mcpServer(server)]),
        );
  return {
    ...(configPath === undefined ? {} : { configPath }),
    ...(servers === undefined ? {} : { servers }),
  };
}

function preloadFiles(
  raw: RawProgramConfig['preload'],
  context: NormalizeContext,
): ProgramConfig['preload'] {
  const relativeTo = raw?.relative_to ?? 'program';
  const files = raw?.files ?? [];
  // cwd-relative paths are resolved at start(), against the working directory of that moment.
  if (relativeTo === 'cwd') return { files: [...files], relativeTo };
  const resolved = files.map((file, index) => {
    const absolute = path.resolve(context.baseDir, file);
    if (!isFile(absolute)) {
      getLogger().warn(
        `Preload file not found: ${absolute} (from ${where(context, `preload.files[${index}]`)})`,
      );
    }
    return absolute;
  });
  return { files: resolved, relativeTo };
}

function envInfo(raw: RawProgramConfig['env_info']): EnvInfoConfig {
  const listed =
    raw?.variables === undefined
      ? []
      : typeof raw.variables === 'string'
        ? [raw.variables]
        : raw.variables;
  const variables: string[] = [];
  for (const name of listed.flatMap((n) => (n === 'all' ? allVariables : [n]))) {
    const canonical = name === 'python_version' ? 'node_version' : name;
    if (!variables.includes(canonical)) variables.push(canonical);
  }
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (!envInfoKeys.includes(key) && typeof value === 'string') custom[key] = value;
  }
  return {
    variables,
    commands: [...(raw?.commands ?? [])],
    envVars: { ...(raw?.env_vars ?? {}) },
    fileMapMaxFiles: raw?.file_map_max_files ?? 50,
    fileMapShowSize: raw?.file_map_show_size ?? true,
    custom,
    ...(raw?.file_map_root === undefined ? {} : { fileMapRoot: raw.file_map_root }),
  };
}

function fileDescriptor(
  raw: RawProgramConfig['file_descriptor'],
  builtin: readonly RawBuiltinEntry[],
  context: NormalizeContext,
): FileDescriptorConfig | undefined {
  const hasTools = hasFdTool(builtin);
  if (raw === undefined) return hasTools ? { ...fileDescriptorDefaults } : undefined;
  if (!raw.enabled && !hasTools) {
    getLogger().warn(
      `${context.label}: [file_descriptor] is present but disabled and no file descriptor tools ('read_fd', 'fd_to_file') ` +
        'are enabled in the [tools] section; the configuration has no effect',
    );
  }
  if (!raw.enabled && hasTools) {
    // The original turns the fd system on whenever an fd tool is registered; say so, since the config says otherwise.
    getLogger().warn(
      `${context.label}: "file_descriptor.enabled" is false, but an fd tool is listed in [tools].builtin; the file descriptor system is enabled`,
    );
  }
  return {
    enabled: raw.enabled || hasTools,
    maxDirectOutputChars: raw.max_direct_output_chars,
    defaultPageSize: raw.default_page_size,
    maxInputChars: raw.max_input_chars,
    pageUserInput: raw.page_user_input,
    enableReferences: raw.enable_references,
  };
}

function linkedPrograms(
  raw: RawProgramConfig['linked_programs'],
  context: NormalizeContext,
): Record<string, LinkedProgramEntry> {
  const out: Record<string, LinkedProgramEntry> = {};
  for (const [name, entry] of Object.entries(raw ?? {})) {
    const given = typeof entry === 'string' ? entry : entry.path;
    const resolved = path.resolve(context.baseDir, given);
    // Only a file-loaded parent is checked now: a dict's links may be added in code before start().
    if (context.sourceFile !== undefined && !isFile(resolved)) {
      throw new ConfigError(
        'CONFIG_NOT_FOUND',
        `Linked program file (from '${context.sourceFile}') not found - Specified: '${given}', Resolved: '${resolved}' (at "linked_programs.${name}")`,
        { keyPath: `linked_programs.${name}`, file: context.sourceFile },
      );
    }
    out[name] = { path: resolved, description: typeof entry === 'string' ? '' : entry.description };
  }
  return out;
}

function mockScript(raw: RawProgramConfig['mock']): MockScript | undefined {
  if (raw === undefined) return undefined;
  const turns = raw.turns.map((turn): MockTurn => {
    const usage = turn.usage;
    const inputTokens = usage?.input_tokens ?? usage?.inputTokens;
    const outputTokens = usage?.output_tokens ?? usage?.outputTokens;
    const stopReason = turn.stop_reason ?? turn.stopReason;
    const delayMs = turn.delay_ms ?? turn.delayMs;
    const error = turn.error;
    const requestId = error?.request_id ?? error?.requestId;
    return {
      toolCalls: (turn.tool_calls ?? turn.toolCalls ?? []).map((call) => ({
        name: call.name,
        args: structuredClone(call.args),
        ...(call.id === undefined ? {} : { id: call.id }),
      })),
      ...(turn.text === undefined ? {} : { text: turn.text }),
      ...(turn.when === undefined ? {} : { when: turn.when }),
      ...(stopReason === undefined ? {} : { stopReason }),
      ...(usage === undefined
        ? {}
        : {
            usage: {
              ...(inputTokens === undefined ? {} : { inputTokens }),
              ...(outputTokens === undefined ? {} : { outputTokens }),
            },
          }),
      ...(delayMs === undefined ? {} : { delayMs }),
      ...(error === undefined
        ? {}
        : {
            error: {
              ...(error.status === undefined ? {} : { status: error.status }),
              ...(error.message === undefined ? {} : { message: error.message }),
              ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
              ...(error.type === undefined ? {} : { type: error.type }),
              ...(requestId === undefined ? {} : { requestId }),
            },
          }),
    };
  });
  const fallbackText = raw.fallback_text ?? raw.fallbackText;
  return { turns, ...(fallbackText === undefined ? {} : { fallbackText }) };
}

function warnAll(context: NormalizeContext, raw: RawProgramConfig): void {
  const logger = getLogger();
  const { provider } = raw.model;
  for (const warning of parameterWarnings(raw.parameters ?? {}, provider, raw.model.name))
    logger.warn(`${context.label}: ${warning}`);
  if (raw.model.disable_automatic_caching && !providerDefinition(provider).automaticCaching) {
    logger.warn(
      `${context.label}: "model.disable_automatic_caching" is true, but provider '${provider}' has no automatic caching; the setting has no effect`,
    );
  }
}

/** Build the normalized config; may read files and log warnings, throws {@link ConfigError}. */
export function normalizeConfig(raw: RawProgramConfig, context: NormalizeContext): ProgramConfig {
  const { model, prompt, demo, tools } = raw;
  const systemPrompt =
    prompt?.system_prompt_file !== undefined
      ? readSystemPromptFile(prompt.system_prompt_file, context)
      : (prompt?.system_prompt ?? prompt?.system ?? '');
  const userPrompt = prompt?.user ?? prompt?.user_prompt;
  const builtin = tools?.builtin ?? tools?.enabled ?? [];
  const mcp = mcpConfig(raw.mcp, context);
  const fd = fileDescriptor(raw.file_descriptor, builtin, context);
  const mock = mockScript(raw.mock);
  const output = outputConfig(raw.output, context);
  const config: ProgramConfig = {
    model: model.name,
    provider: model.provider,
    displayName:
      demo?.display_name ??
      model.display_name ??
      `${providerDefinition(model.provider).title} ${model.name}`,
    maxIterations: model.max_iterations,
    budget: {
      ...(raw.budget?.max_tokens === undefined ? {} : { maxTokens: raw.budget.max_tokens }),
      ...(raw.budget?.max_cost_usd === undefined ? {} : { maxCostUsd: raw.budget.max_cost_usd }),
      ...(raw.budget?.timeout_ms === undefined ? {} : { timeoutMs: raw.budget.timeout_ms }),
    },
    disableAutomaticCaching: model.disable_automatic_caching,
    ...(model.project_id === undefined ? {} : { projectId: model.project_id }),
    ...(model.region === undefined ? {} : { region: model.region }),
    ...(model.base_url === undefined ? {} : { baseUrl: model.base_url }),
    ...(model.api_key_env === undefined ? {} : { apiKeyEnv: model.api_key_env }),
    ...(model.deployment === undefined ? {} : { deployment: model.deployment }),
    ...(model.api_version === undefined ? {} : { apiVersion: model.api_version }),
    ...(model.price === undefined ? {} : { price: modelPrice(model.price) }),
    systemPrompt,
    ...(userPrompt === undefined ? {} : { userPrompt }),
    parameters: structuredClone(raw.parameters ?? {}),
    preload: preloadFiles(raw.preload, context),
    ...(mcp === undefined ? {} : { mcp }),
    tools: {
      builtin: builtin.map(builtinEntry),
      mcp: Object.fromEntries(
        Object.entries(tools?.mcp ?? {}).map(([server, sel]) => [server, mcpSelection(sel)]),
      ),
      aliases: { ...(tools?.aliases ?? {}) },
      ...(tools?.file_roots === undefined
        ? {}
        : { fileRoots: tools.file_roots.map((root) => path.resolve(context.baseDir, root)) }),
      maxReadBytes: tools?.max_read_bytes ?? defaultMaxReadBytes,
      maxResultChars: tools?.max_result_chars ?? defaultMaxResultChars,
    },
    envInfo: envInfo(raw.env_info),
    ...(fd === undefined ? {} : { fileDescriptor: fd }),
    linkedPrograms: linkedPrograms(raw.linked_programs, context),
    demo: {
      prompts: [...(demo?.prompts ?? [])],
      pauseBetweenPrompts: demo?.pause_between_prompts ?? true,
      ...(demo?.display_name === undefined ? {} : { displayName: demo.display_name }),
    },
    ...(mock === undefined ? {} : { mock }),
    baseDir: context.baseDir,
    ...(context.sourceFile === undefined ? {} : { sourceFile: context.sourceFile }),
    stream: model.stream,
    ...(output === undefined ? {} : { output }),
  };
  warnAll(context, raw);
  return config;
}

/** `[model].price` (snake_case keys) as a ModelPrice. */
function modelPrice(price: {
  input: number;
  output: number;
  cache_read?: number | undefined;
  cache_write?: number | undefined;
}): ModelPrice {
  return {
    input: price.input,
    output: price.output,
    ...(price.cache_read === undefined ? {} : { cacheRead: price.cache_read }),
    ...(price.cache_write === undefined ? {} : { cacheWrite: price.cache_write }),
  };
}
