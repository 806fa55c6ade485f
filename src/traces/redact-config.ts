/**
 * A program configuration as a trace header shows it: secrets out. Header values in `[parameters]`
 * go through the same redaction as `api_request` payloads, and the values of MCP servers'
 * environment tables (tokens, typically) are never written; a replay reads them from its own
 * environment (replay-program.ts).
 */
import { redactSecrets, redacted } from '../internal/redact.js';
import type { ProgramConfig } from '../program/config.js';

export function redactConfig(config: ProgramConfig): ProgramConfig {
  const copy: ProgramConfig = { ...config, parameters: redactSecrets(config.parameters) };
  const servers = config.mcp?.servers;
  if (config.mcp && servers) {
    copy.mcp = {
      ...config.mcp,
      servers: Object.fromEntries(
        Object.entries(servers).map(([name, server]) => [
          name,
          {
            ...server,
            env: Object.fromEntries(Object.keys(server.env).map((key) => [key, redacted])),
          },
        ]),
      ),
    };
  }
  return copy;
}
