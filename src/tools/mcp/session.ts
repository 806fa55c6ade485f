import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  McpError,
  type Tool as McpListedTool,
} from '@modelcontextprotocol/sdk/types.js';
import { LlmprocError, errorMessage } from '../../errors.js';
import type { McpServerConfig } from './config.js';
import { getLogger } from '../../internal/logger.js';
import { untilAborted } from '../../internal/abort.js';
import { McpInitError } from './errors.js';
import { ProcessGroupStdioTransport } from './stdio-transport.js';

export type { McpListedTool };

const clientInfo = { name: 'llmproc', version: '0.1.0' };
/** Lines of a server's stderr kept to explain a failed start. */
const stderrTailLines = 5;
/** A server paging its tool list forever must not hang start(). */
const maxListPages = 100;

/** One connected MCP server: its client, and for stdio servers the process group it runs in. */
export class McpSession {
  readonly server: string;
  /** A stdio server's pid (also its process group id on POSIX); undefined for remote servers. */
  readonly pid: number | undefined;
  private readonly client: Client;
  private readonly transport: Transport;
  private closing: Promise<void> | undefined;

  private constructor(
    server: string,
    client: Client,
    transport: Transport,
    pid: number | undefined,
  ) {
    this.server = server;
    this.client = client;
    this.transport = transport;
    this.pid = pid;
  }

  /**
   * Start or reach the server, initialize, and list every tool, all within `timeoutMs`. Failures
   * close what was opened and throw an {@link McpInitError} naming the server.
   */
  static async open(
    server: string,
    config: McpServerConfig,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<{ session: McpSession; tools: McpListedTool[] }> {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const stderrTail: string[] = [];
    const transport = createTransport(server, config, stderrTail);
    const client = new Client(clientInfo, { capabilities: {} });
    client.onerror = (error) => {
      getLogger().debug(`MCP server '${server}': ${errorMessage(error)}`);
    };
    const requestOptions = { signal, timeout: options.timeoutMs };
    const connecting = client.connect(transport, requestOptions);
    // connect() spawns a stdio server synchronously, before its first await, so the pid is known now.
    const pid = stdioPid(transport);
    const session = new McpSession(server, client, transport, pid);
    try {
      await untilAborted(connecting, signal);
      const tools = await untilAborted(listAllTools(client, requestOptions), signal);
      return { session, tools };
    } catch (error) {
      await session.close();
      // Let the last stderr lines of a server that just died arrive before quoting them.
      await sleep(20);
      throw initError(server, error, {
        deadline,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        stderrTail,
      });
    }
  }

  /**
   * Call one of the server's tools by its own name. A call that takes longer than `timeoutMs` rejects
   * with an error naming the seconds and LLMPROC_TOOL_CALL_TIMEOUT, the variable that sets them.
   */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<unknown> {
    try {
      return await this.client.callTool({ name, arguments: args }, undefined, {
        timeout: options.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      // McpError.code is a plain number; the SDK's enum names the JSON-RPC code it uses for timeouts.
      const timeoutCode: number = ErrorCode.RequestTimeout;
      const isTimeout = error instanceof McpError && error.code === timeoutCode;
      if (!isTimeout || options.signal?.aborted) throw error;
      throw new LlmprocError(
        'TOOL_ERROR',
        `MCP server '${this.server}' did not answer the call to '${name}' within ${String(options.timeoutMs / 1000)} s (LLMPROC_TOOL_CALL_TIMEOUT sets this limit, in seconds)`,
        {
          cause: error,
          details: { server: this.server, tool: name, timeoutMs: options.timeoutMs },
        },
      );
    }
  }

  /** Close the connection; for a stdio server, make sure its process is gone. Never throws. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    // The client closes its transport; for a stdio server that ends the server's process group.
    await this.client.close().catch((error: unknown) => {
      getLogger().debug(`MCP server '${this.server}': close failed: ${errorMessage(error)}`);
    });
    // Also when the client never got as far as owning the transport (connect failed early).
    await this.transport.close().catch(() => undefined);
  }
}

function stdioPid(transport: Transport): number | undefined {
  if (transport instanceof ProcessGroupStdioTransport) return transport.pid;
  if (transport instanceof StdioClientTransport) return transport.pid ?? undefined;
  return undefined;
}

function createTransport(server: string, config: McpServerConfig, stderrTail: string[]): Transport {
  switch (config.type) {
    case 'stdio': {
      if (config.command === undefined) {
        throw new McpInitError(`MCP server '${server}' is a stdio server without a command`, {
          server,
          reason: 'failed',
        });
      }
      // Only the SDK's short list of safe variables (PATH, HOME, ...) plus what the config sets:
      // API keys in our own environment are not the server's business.
      const env = { ...getDefaultEnvironment(), ...config.env };
      // Process groups are POSIX; on Windows the SDK's transport (with its command lookup) is kept.
      const transport =
        process.platform === 'win32'
          ? new StdioClientTransport({
              command: config.command,
              args: config.args,
              env,
              stderr: 'pipe',
            })
          : new ProcessGroupStdioTransport({
              command: config.command,
              args: config.args,
              env,
              server,
            });
      forwardStderr(server, transport.stderr, stderrTail);
      return transport;
    }
    case 'sse':
    case 'streamable_http': {
      if (config.url === undefined) {
        throw new McpInitError(`MCP server '${server}' is a ${config.type} server without a url`, {
          server,
          reason: 'failed',
        });
      }
      const url = new URL(config.url);
      if (config.type === 'streamable_http') return new StreamableHTTPClientTransport(url);
      // Deprecated by the SDK in favour of streamable HTTP, but `type = "sse"` is in the config
      // schema and SSE-only servers still exist.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      return new SSEClientTransport(url);
    }
    default: {
      const unknown: never = config.type;
      throw new McpInitError(`MCP server '${server}' has unknown type ${String(unknown)}`, {
        server,
        reason: 'failed',
      });
    }
  }
}

/** A server's stderr goes to the debug log, not the user's terminal; the last lines are kept. */
function forwardStderr(server: string, stream: unknown, tail: string[]): void {
  if (!(stream instanceof Readable)) return;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    tail.push(line);
    if (tail.length > stderrTailLines) tail.shift();
    getLogger().debug(`MCP server '${server}' stderr: ${line}`);
  });
}

async function listAllTools(
  client: Client,
  options: { signal: AbortSignal; timeout: number },
): Promise<McpListedTool[]> {
  const tools: McpListedTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxListPages; page += 1) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, options);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined || cursor === '') break;
  }
  return tools;
}

function initError(
  server: string,
  error: unknown,
  context: {
    deadline: AbortSignal;
    signal: AbortSignal | undefined;
    timeoutMs: number;
    stderrTail: string[];
  },
): LlmprocError {
  if (error instanceof McpInitError) return error;
  if (context.signal?.aborted) {
    return new LlmprocError('ABORTED', `Connecting to MCP server '${server}' was aborted`, {
      cause: context.signal.reason,
    });
  }
  // The SDK's own request timeouts equal the deadline and start after it, so the deadline fires first.
  if (context.deadline.aborted) {
    return new McpInitError(
      `MCP server '${server}' did not connect and list its tools within ${context.timeoutMs / 1000} s ` +
        '(raise LLMPROC_TOOL_FETCH_TIMEOUT, or set LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT=false to skip the server)',
      { server, reason: 'timeout', cause: error },
    );
  }
  const stderr =
    context.stderrTail.length > 0
      ? `; its stderr ended with: ${context.stderrTail.join(' | ')}`
      : '';
  return new McpInitError(
    `MCP server '${server}' failed to start or list its tools: ${errorMessage(error)}${stderr}`,
    {
      server,
      reason: 'failed',
      cause: error,
    },
  );
}
