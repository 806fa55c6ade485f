/**
 * A program's configuration after loading and validation: the TOML/YAML schema of the original,
 * normalized (aliases resolved, paths absolute, defaults filled). Everything past loading reads this,
 * never raw config text.
 */
import type { AccessLevel } from '../tools/access-level.js';
import type { ProviderName } from '../providers/types.js';

export interface BuiltinToolEntry {
  name: string;
  alias?: string;
  description?: string;
  paramDescriptions?: Record<string, string>;
  access?: AccessLevel;
}

export interface McpServerConfig {
  type: 'stdio' | 'sse' | 'streamable_http';
  command?: string;
  args: string[];
  url?: string;
  env: Record<string, string>;
  description?: string;
}

export interface McpToolEntry {
  name: string;
  access?: AccessLevel;
  alias?: string;
  description?: string;
  paramDescriptions?: Record<string, string>;
}

/** `"all"` or the listed tools of one server. */
export type McpToolSelection =
  { all: true; access: AccessLevel } | { all: false; tools: McpToolEntry[] };

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

export interface FileDescriptorConfig {
  enabled: boolean;
  maxDirectOutputChars: number;
  defaultPageSize: number;
  maxInputChars: number;
  pageUserInput: boolean;
  enableReferences: boolean;
}

export interface LinkedProgramEntry {
  /** Absolute path of the linked program's config. */
  path: string;
  description: string;
}

export interface MockToolCall {
  name: string;
  args: Record<string, unknown>;
  /** Tool-use id; generated when absent. */
  id?: string;
}

/** One scripted model reply of the mock provider. */
export interface MockTurn {
  text?: string;
  toolCalls: MockToolCall[];
  /** Only played when the latest user text contains this string. */
  when?: string;
  stopReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
}

export interface MockScript {
  turns: MockTurn[];
  /** What the mock answers once the script is used up. */
  fallbackText?: string;
}

export interface ProgramConfig {
  model: string;
  provider: ProviderName;
  displayName: string;
  maxIterations: number;
  disableAutomaticCaching: boolean;
  projectId?: string;
  region?: string;
  /** API base URL override (`[model].base_url`): gateways, proxies, local test servers. */
  baseUrl?: string;
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
}
