/**
 * MCP tools: connect to the servers `[tools.mcp]` names, list their tools, and turn the selected ones
 * into {@link Tool}s named `<server>__<tool>`.
 */
import { ConfigError, LlmprocError, errorMessage } from '../../errors.js';
import type { McpProgramConfig, McpToolSelection } from './config.js';
import { getLogger } from '../../internal/logger.js';
import { AccessLevel } from '../access-level.js';
import type { Tool } from '../types.js';
import { McpInitError } from './errors.js';
import { createMcpTool, mcpNameSeparator } from './mcp-tool.js';
import { selectedServers } from './servers.js';
import { McpSession, type McpListedTool } from './session.js';
import { readMcpSettings } from './settings.js';

/** The MCP tools of one started program, and the connections behind them. */
export interface McpTools {
  /** Tools named `<server>__<tool>`, servers in `[tools.mcp]` order. */
  readonly tools: Tool[];
  /** Alias → `<server>__<tool>`, from the `alias` of `[tools.mcp]` entries. */
  readonly aliases: Record<string, string>;
  /** Close every connection and stop every stdio server; best effort, never throws, safe to repeat. */
  close(): Promise<void>;
}

export interface ConnectMcpToolsOptions {
  /** Cancels connecting and listing (the error then has code `ABORTED`). */
  signal?: AbortSignal;
  /**
   * Where LLMPROC_TOOL_FETCH_TIMEOUT, LLMPROC_TOOL_CALL_TIMEOUT and LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT
   * are read; `process.env` by default. Servers never get this environment, only the SDK's safe
   * defaults plus their configured `env`.
   */
  env?: Record<string, string | undefined>;
}

/**
 * Connect, in parallel, to the MCP servers named in `config.tools.mcp`, and build their selected
 * tools. A server that cannot be started or listed within LLMPROC_TOOL_FETCH_TIMEOUT seconds (or lists
 * no tools) throws an {@link McpInitError} naming it, after closing every other connection; with
 * LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT=false it is skipped with a warning instead. Selecting a tool the
 * server does not have throws a {@link ConfigError}.
 *
 * @example
 * ```ts
 * import { connectMcpTools } from './connect.js';
 * import type { McpProgramConfig } from './config.js';
 * declare const config: McpProgramConfig;
 * const mcp = await connectMcpTools(config);
 * try {
 *   console.log(mcp.tools.map((tool) => tool.name)); // e.g. ['everything__add']
 * } finally {
 *   await mcp.close();
 * }
 * ```
 */
export async function connectMcpTools(
  config: McpProgramConfig,
  options: ConnectMcpToolsOptions = {},
): Promise<McpTools> {
  const selections = config.tools.mcp;
  if (Object.keys(selections).length === 0)
    return { tools: [], aliases: {}, close: () => Promise.resolve() };
  const settings = readMcpSettings(options.env ?? process.env);
  const servers = await selectedServers(config);
  const { signal } = options;
  if (signal?.aborted) {
    throw new LlmprocError('ABORTED', 'Connecting to MCP servers was aborted', {
      cause: signal.reason,
    });
  }

  const opened = await Promise.allSettled(
    [...servers].map(([name, server]) =>
      McpSession.open(name, server, { timeoutMs: settings.fetchTimeoutMs, signal }),
    ),
  );
  const sessions: McpSession[] = [];
  const listings: { session: McpSession; tools: McpListedTool[] }[] = [];
  const initFailures: McpInitError[] = [];
  let fatal: Error | undefined;
  for (const outcome of opened) {
    if (outcome.status === 'rejected') {
      if (outcome.reason instanceof McpInitError) initFailures.push(outcome.reason);
      else
        fatal ??=
          outcome.reason instanceof Error
            ? outcome.reason
            : new LlmprocError('TOOL_ERROR', errorMessage(outcome.reason));
      continue;
    }
    const { session, tools } = outcome.value;
    sessions.push(session);
    if (tools.length === 0) {
      initFailures.push(
        new McpInitError(`MCP server '${session.server}' lists no tools`, {
          server: session.server,
          reason: 'empty',
        }),
      );
      await session.close();
      continue;
    }
    listings.push(outcome.value);
  }
  const close = async (): Promise<void> => {
    await Promise.all(sessions.map((session) => session.close()));
  };

  try {
    if (fatal !== undefined) throw fatal;
    if (signal?.aborted) {
      throw new LlmprocError('ABORTED', 'Connecting to MCP servers was aborted', {
        cause: signal.reason,
      });
    }
    const [firstFailure, ...otherFailures] = initFailures;
    if (firstFailure !== undefined && settings.failOnInitError) {
      for (const other of otherFailures) getLogger().warn(other.message);
      throw firstFailure;
    }
    for (const failure of initFailures) {
      getLogger().warn(`${failure.message}; skipping it (LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT=false)`);
    }

    const tools: Tool[] = [];
    const aliases: Record<string, string> = {};
    for (const { session, tools: listed } of listings) {
      const selection = selections[session.server];
      if (selection === undefined) continue;
      for (const { tool, alias } of selectTools(
        session,
        listed,
        selection,
        config,
        settings.callTimeoutMs,
      )) {
        tools.push(tool);
        if (alias !== undefined) addAlias(aliases, alias, tool.name, config);
      }
    }
    return { tools, aliases, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function selectTools(
  session: McpSession,
  listed: McpListedTool[],
  selection: McpToolSelection,
  config: McpProgramConfig,
  callTimeoutMs: number,
): { tool: Tool; alias?: string }[] {
  const options = { callTimeoutMs };
  if (selection.all) {
    return listed.map((tool) => ({
      tool: createMcpTool(session, tool, { access: selection.access }, options),
    }));
  }
  const byName = new Map(listed.map((tool) => [tool.name, tool]));
  const chosen: { tool: Tool; alias?: string }[] = [];
  const seen = new Set<string>();
  for (const entry of selection.tools) {
    const tool = byName.get(entry.name);
    if (tool === undefined) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `MCP server '${session.server}' has no tool '${entry.name}' (selected in [tools.mcp].${session.server}); ` +
          `it has: ${[...byName.keys()].join(', ')}`,
        { keyPath: `tools.mcp.${session.server}`, ...sourceFile(config) },
      );
    }
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    chosen.push({
      tool: createMcpTool(
        session,
        tool,
        {
          access: entry.access ?? AccessLevel.WRITE,
          ...(entry.description === undefined ? {} : { description: entry.description }),
          ...(entry.paramDescriptions === undefined
            ? {}
            : { paramDescriptions: entry.paramDescriptions }),
        },
        options,
      ),
      ...(entry.alias === undefined ? {} : { alias: entry.alias }),
    });
  }
  return chosen;
}

function addAlias(
  aliases: Record<string, string>,
  alias: string,
  target: string,
  config: McpProgramConfig,
): void {
  const existing = aliases[alias];
  if (existing !== undefined && existing !== target) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `Alias '${alias}' is set on both '${existing}' and '${target}' in [tools.mcp]; an alias names one tool`,
      { keyPath: 'tools.mcp', ...sourceFile(config) },
    );
  }
  aliases[alias] = target;
}

function sourceFile(config: McpProgramConfig): { file?: string } {
  return config.sourceFile === undefined ? {} : { file: config.sourceFile };
}

export { McpInitError, mcpNameSeparator };
