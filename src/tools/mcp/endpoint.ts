import type { z } from '../../internal/zod.js';

/**
 * An MCP server's endpoint: a `command` for a stdio server, a `url` for any other. Shared by
 * `[mcp.servers]` (program/schema.ts) and the `mcpServers` JSON file (servers.ts); `hints` end the messages.
 */
export function requireMcpEndpoint(
  server: { type: string; command?: string | undefined; url?: string | undefined },
  ctx: z.RefinementCtx,
  hints: { command: string; url: string } = { command: '', url: '' },
): void {
  if (server.type === 'stdio' && server.command === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['command'],
      message: `is required for a stdio server${hints.command}`,
    });
  }
  if (server.type !== 'stdio' && server.url === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: `is required for a ${server.type} server${hints.url}`,
    });
  }
}
