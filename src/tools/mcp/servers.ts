import { readFile } from 'node:fs/promises';
import { z } from '../../internal/zod.js';
import { ConfigError, errorMessage } from '../../errors.js';
import type { McpProgramConfig, McpServerConfig } from './config.js';
import { requireMcpEndpoint } from './endpoint.js';
import { isRecord } from '../../internal/is-record.js';

/**
 * One server of an `mcpServers` JSON file, in the spelling MCP clients share. `http` (Claude Code's
 * name) means streamable HTTP.
 */
const fileServerSchema = z
  .object({
    type: z.enum(['stdio', 'sse', 'streamable_http', 'http']).default('stdio'),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default(() => []),
    url: z.url({ protocol: /^https?$/ }).optional(),
    env: z.record(z.string(), z.string()).default(() => ({})),
    description: z.string().optional(),
  })
  .superRefine((server, ctx) => {
    requireMcpEndpoint(server, ctx);
  });

async function readServerFile(file: string): Promise<Record<string, McpServerConfig>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'CONFIG_NOT_FOUND',
      `Cannot read MCP config file ${file}: ${errorMessage(error)}`,
      {
        cause: error,
        file,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      'CONFIG_SYNTAX',
      `MCP config file ${file} is not valid JSON: ${errorMessage(error)}`,
      {
        cause: error,
        file,
      },
    );
  }
  if (!isRecord(json) || !isRecord(json['mcpServers'])) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `MCP config file ${file} has no top-level "mcpServers" object (expected {"mcpServers": {"<name>": {...}}})`,
      { file, keyPath: 'mcpServers' },
    );
  }
  const servers: Record<string, McpServerConfig> = {};
  for (const [name, raw] of Object.entries(json['mcpServers'])) {
    const parsed = fileServerSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map(
          (issue) => `mcpServers.${[name, ...issue.path.map(String)].join('.')}: ${issue.message}`,
        )
        .join('; ');
      throw new ConfigError('CONFIG_INVALID', `MCP config file ${file}: ${problems}`, {
        file,
        keyPath: `mcpServers.${name}`,
      });
    }
    const server = parsed.data;
    servers[name] = {
      type: server.type === 'http' ? 'streamable_http' : server.type,
      args: server.args,
      env: server.env,
      ...(server.command === undefined ? {} : { command: server.command }),
      ...(server.url === undefined ? {} : { url: server.url }),
      ...(server.description === undefined ? {} : { description: server.description }),
    };
  }
  return servers;
}

/**
 * The definitions of the servers `[tools.mcp]` names: from `[mcp.servers]` when set (it wins, as in
 * the original), else from the `config_path` JSON file.
 */
export async function selectedServers(
  config: McpProgramConfig,
): Promise<Map<string, McpServerConfig>> {
  const wanted = Object.keys(config.tools.mcp);
  const mcp = config.mcp;
  let defined: Record<string, McpServerConfig>;
  let source: string;
  if (mcp?.servers !== undefined) {
    defined = mcp.servers;
    source = '[mcp.servers]';
  } else if (mcp?.configPath !== undefined) {
    defined = await readServerFile(mcp.configPath);
    source = `MCP config file ${mcp.configPath}`;
  } else {
    throw new ConfigError(
      'CONFIG_INVALID',
      `[tools.mcp] names server(s) ${wanted.map((s) => `"${s}"`).join(', ')} but there is no [mcp] section (set mcp.config_path or [mcp.servers])`,
      {
        keyPath: 'tools.mcp',
        ...(config.sourceFile === undefined ? {} : { file: config.sourceFile }),
      },
    );
  }
  const selected = new Map<string, McpServerConfig>();
  for (const name of wanted) {
    const server = Object.hasOwn(defined, name) ? defined[name] : undefined;
    if (server === undefined) {
      const available = Object.keys(defined);
      throw new ConfigError(
        'CONFIG_INVALID',
        `[tools.mcp] names MCP server "${name}", which ${source} does not define (defined: ${available.length > 0 ? available.join(', ') : 'none'})`,
        {
          keyPath: `tools.mcp.${name}`,
          ...(config.sourceFile === undefined ? {} : { file: config.sourceFile }),
        },
      );
    }
    selected.set(name, server);
  }
  return selected;
}
