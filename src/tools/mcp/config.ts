import type { AccessLevel } from '../access-level.js';

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

/** The parts of a program's configuration that MCP reads (ProgramConfig has them all). */
export interface McpProgramConfig {
  /** Absent when `[mcp]` sets neither key. `configPath` is absolute; `servers` wins when both are set. */
  mcp?: { configPath?: string; servers?: Record<string, McpServerConfig> };
  tools: { mcp: Record<string, McpToolSelection> };
  /** The config file, when loaded from one (named in errors). */
  sourceFile?: string;
}
