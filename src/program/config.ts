/**
 * A program's configuration after loading and validation: the TOML/YAML schema of the original,
 * normalized (aliases resolved, paths absolute, defaults filled). Everything past loading reads this,
 * never raw config text.
 */
import type { ModelPrice } from '../cost/price-table.js';
import type { AccessLevel } from '../tools/access-level.js';
import type { ProviderName } from '../providers/registry.js';
import type { MockScript } from '../providers/mock/script.js';
import type { FileDescriptorConfig } from '../tools/fd/config.js';
import type { McpServerConfig, McpToolSelection } from '../tools/mcp/config.js';
import type { Budget } from '../process/budget.js';

// Each layer below owns the shape of its own settings; the program's configuration composes them.
export type { MockScript, MockTurn, MockToolCall } from '../providers/mock/script.js';
export type { FileDescriptorConfig } from '../tools/fd/config.js';
export type { McpServerConfig, McpToolEntry, McpToolSelection } from '../tools/mcp/config.js';

export interface BuiltinToolEntry {
  name: string;
  alias?: string;
  description?: string;
  paramDescriptions?: Record<string, string>;
  access?: AccessLevel;
}

export interface EnvInfoConfig {
  /**
   * Standard variable names in the order listed, `"all"` expanded, duplicates dropped. One of
   * working_directory, platform, date, node_version (what `python_version` also means), hostname,
   * username, file_map.
   */
  variables: string[];
  commands: string[];
  envVars: Record<string, string>;
  fileMapRoot?: string;
  fileMapMaxFiles: number;
  fileMapShowSize: boolean;
  /** Extra string keys of `[env_info]`, shown as `key: value` lines. */
  custom: Record<string, string>;
}

export interface LinkedProgramEntry {
  /** Absolute path of the linked program's config. */
  path: string;
  description: string;
}

export interface ProgramConfig {
  model: string;
  provider: ProviderName;
  displayName: string;
  maxIterations: number;
  /** `[budget]`: default limits of every run (`maxTokens`, `maxCostUsd`, `timeoutMs`); `{}` for none. */
  budget: Budget;
  disableAutomaticCaching: boolean;
  projectId?: string;
  region?: string;
  /** API base URL override (`[model].base_url`): gateways, proxies, local test servers. */
  baseUrl?: string;
  /** `[model].api_key_env`: the environment variable holding the API key, instead of the provider's. */
  apiKeyEnv?: string;
  /** `[model].deployment` (Azure OpenAI): the deployment name; defaults to the model name. */
  deployment?: string;
  /** `[model].api_version` (Azure OpenAI). */
  apiVersion?: string;
  /** The model's price (`[model].price`), over the built-in price table. */
  price?: ModelPrice;
  systemPrompt: string;
  userPrompt?: string;
  parameters: Record<string, unknown>;
  /** `relativeTo: 'program'`: files are absolute (resolved at load); `'cwd'`: as written, resolved at start(). */
  preload: { files: string[]; relativeTo: 'program' | 'cwd' };
  /** Absent when `[mcp]` sets neither key. `configPath` is absolute; `servers` wins when both are set. */
  mcp?: { configPath?: string; servers?: Record<string, McpServerConfig> };
  tools: {
    builtin: BuiltinToolEntry[];
    mcp: Record<string, McpToolSelection>;
    /** The `[tools].aliases` table only; aliases set on tool entries stay on those entries. */
    aliases: Record<string, string>;
    /**
     * `[tools].file_roots`, absolute: the folders read_file, list_dir and fd_to_file are confined to.
     * Absent: unconfined, as in llmproc 0.9.2.
     */
    fileRoots?: string[];
    /** `[tools].max_read_bytes`: the most read_file reads of one file. */
    maxReadBytes: number;
    /** `[tools].max_result_chars`: a longer tool result is cut (or paged, with file descriptors on). */
    maxResultChars: number;
  };
  envInfo: EnvInfoConfig;
  /** Absent when there is no `[file_descriptor]` section and no fd tool; an fd tool alone gives the defaults, enabled. */
  fileDescriptor?: FileDescriptorConfig;
  linkedPrograms: Record<string, LinkedProgramEntry>;
  demo: { prompts: string[]; pauseBetweenPrompts: boolean; displayName?: string };
  mock?: MockScript;
  /** Folder that relative paths were resolved against. */
  baseDir: string;
  /** The config file, when loaded from one. */
  sourceFile?: string;
  /** Stream responses by default (`run()` options override). */
  stream: boolean;
  /** `[output]`: the JSON Schema every run's final answer must match (`run()`'s `output` overrides). */
  output?: OutputConfig;
}

export interface OutputConfig {
  schema: Record<string, unknown>;
  retries?: number;
}
