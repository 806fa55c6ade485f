import { LlmprocError, type LlmprocErrorOptions } from '../../errors.js';

/** Why an MCP server could not be set up. */
export type McpInitFailure =
  /** Connecting or listing took longer than LLMPROC_TOOL_FETCH_TIMEOUT. */
  | 'timeout'
  /** The server could not be started, refused the connection, or failed to list its tools. */
  | 'failed'
  /** The server listed no tools at all. */
  | 'empty';

/**
 * An MCP server named in `[tools.mcp]` that could not be connected or listed. The CLI catches it
 * separately: a `timeout` gets a hint about LLMPROC_TOOL_FETCH_TIMEOUT and
 * LLMPROC_FAIL_ON_MCP_INIT_TIMEOUT.
 */
export class McpInitError extends LlmprocError {
  readonly server: string;
  readonly reason: McpInitFailure;

  constructor(
    message: string,
    options: LlmprocErrorOptions & { server: string; reason: McpInitFailure },
  ) {
    super('TOOL_ERROR', message, options);
    this.server = options.server;
    this.reason = options.reason;
  }
}
