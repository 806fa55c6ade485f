import type { ModelPrice } from '../cost/price-table.js';
import type { Budget } from '../process/budget.js';
import type { LLMProgram, ToolInput } from './program.js';

/** A mock turn written in code (camelCase), as API.md shows it. */
export interface MockTurnOptions {
  text?: string;
  toolCalls?: { name: string; args?: Record<string, unknown>; id?: string }[];
  when?: string;
  stopReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  /** Wait this long (ms) before answering; an abort ends the wait at once. */
  delayMs?: number;
  /**
   * Fail the call instead of answering: it rejects with a `ProviderError` (provider `"mock"`) with
   * this status, message, `retryable` (default: from the status) and `details.type`/`requestId`.
   */
  error?: {
    status?: number;
    message?: string;
    retryable?: boolean;
    type?: string;
    requestId?: string;
  };
}

/** A program written in code. Each key mirrors a config key of the TOML schema. */
export interface ProgramOptions {
  model: string;
  provider: string;
  systemPrompt?: string;
  systemPromptFile?: string;
  userPrompt?: string;
  displayName?: string;
  parameters?: Record<string, unknown>;
  maxIterations?: number;
  /** Default limits of every run: `{ maxTokens?, maxCostUsd?, timeoutMs? }` (the `[budget]` table). */
  budget?: Budget;
  /** Builtin names (`"calculator"`), tools from `defineTool`, or tool definitions. */
  tools?: readonly ToolInput[];
  /** Model-facing alias → real tool name. */
  toolAliases?: Record<string, string>;
  /**
   * `[tools].file_roots`: confine read_file, list_dir and fd_to_file to these folders (relative ones
   * resolve against `baseDir`), symlinks resolved. Unset: the whole file system, as in llmproc 0.9.2.
   */
  fileRoots?: string[];
  /** `[tools].max_read_bytes`: the most read_file reads of one file (default 1 MiB). */
  maxReadBytes?: number;
  /** `[tools].max_result_chars`: longer tool results are cut with a note (default 100,000). */
  maxToolResultChars?: number;
  preloadFiles?: string[];
  envInfo?: Record<string, unknown>;
  fileDescriptor?: Record<string, unknown>;
  mcpConfigPath?: string;
  mcpServers?: Record<string, unknown>;
  mcpTools?: Record<string, unknown>;
  linkedPrograms?: Record<string, LLMProgram | { program: LLMProgram; description?: string }>;
  disableAutomaticCaching?: boolean;
  projectId?: string;
  region?: string;
  baseUrl?: string;
  /** The environment variable holding the API key (`[model].api_key_env`). */
  apiKeyEnv?: string;
  /** Azure OpenAI deployment name (`[model].deployment`); defaults to the model name. */
  deployment?: string;
  /** Azure OpenAI API version (`[model].api_version`). */
  apiVersion?: string;
  stream?: boolean;
  /** The model's price in USD per million tokens, over the built-in table (`[model].price`). */
  price?: ModelPrice;
  mock?: { turns: MockTurnOptions[]; fallbackText?: string };
  /** Folder that relative paths resolve against; default the working directory. */
  baseDir?: string;
}

function defined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/**
 * The TOML-shaped dict for a code-written program, so code and config files share one validation.
 * Tools that are not builtin names and linked program objects are handed back separately.
 */
export function programOptionsToDict(options: ProgramOptions): {
  dict: Record<string, unknown>;
  tools: ToolInput[];
  linked: Record<string, { program: LLMProgram; description: string }>;
} {
  const builtin = (options.tools ?? []).filter((tool): tool is string => typeof tool === 'string');
  const tools = (options.tools ?? []).filter((tool) => typeof tool !== 'string');
  const dict: Record<string, unknown> = {
    model: defined({
      name: options.model,
      provider: options.provider,
      display_name: options.displayName,
      max_iterations: options.maxIterations,
      disable_automatic_caching: options.disableAutomaticCaching,
      project_id: options.projectId,
      region: options.region,
      base_url: options.baseUrl,
      api_key_env: options.apiKeyEnv,
      deployment: options.deployment,
      api_version: options.apiVersion,
      stream: options.stream,
      price:
        options.price &&
        defined({
          input: options.price.input,
          output: options.price.output,
          cache_read: options.price.cacheRead,
          cache_write: options.price.cacheWrite,
        }),
    }),
    prompt: defined({
      system_prompt: options.systemPrompt,
      system_prompt_file: options.systemPromptFile,
      user: options.userPrompt,
    }),
  };
  if (options.parameters) dict['parameters'] = options.parameters;
  if (options.budget) {
    dict['budget'] = defined({
      max_tokens: options.budget.maxTokens,
      max_cost_usd: options.budget.maxCostUsd,
      timeout_ms: options.budget.timeoutMs,
    });
  }
  const toolSection = defined({
    builtin: builtin.length > 0 ? builtin : undefined,
    aliases: options.toolAliases,
    mcp: options.mcpTools,
    file_roots: options.fileRoots,
    max_read_bytes: options.maxReadBytes,
    max_result_chars: options.maxToolResultChars,
  });
  if (Object.keys(toolSection).length > 0) dict['tools'] = toolSection;
  if (options.preloadFiles) dict['preload'] = { files: options.preloadFiles };
  if (options.envInfo) dict['env_info'] = options.envInfo;
  if (options.fileDescriptor) dict['file_descriptor'] = options.fileDescriptor;
  const mcp = defined({ config_path: options.mcpConfigPath, servers: options.mcpServers });
  if (Object.keys(mcp).length > 0) dict['mcp'] = mcp;
  if (options.mock) dict['mock'] = options.mock;
  const linked: Record<string, { program: LLMProgram; description: string }> = {};
  for (const [name, entry] of Object.entries(options.linkedPrograms ?? {})) {
    linked[name] =
      'config' in entry
        ? { program: entry, description: '' }
        : { program: entry.program, description: entry.description ?? '' };
  }
  return { dict, tools, linked };
}
