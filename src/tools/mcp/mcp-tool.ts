import { errorMessage } from '../../errors.js';
import { getLogger } from '../../internal/logger.js';
import { isRecord } from '../../internal/is-record.js';
import type { AccessLevel } from '../access-level.js';
import { describeArgumentProblems } from '../define-tool.js';
import { compileArgumentSchema, type ArgumentCheck } from '../json-schema.js';
import type { ImageBlock } from '../../conversation/messages.js';
import { ToolResult } from '../tool-result.js';
import type { Tool } from '../types.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpListedTool, McpSession } from './session.js';

/** Separates server and tool in a registered name: `everything__add`. */
export const mcpNameSeparator = '__';

/** How one listed tool is registered: the overrides its `[tools.mcp]` entry sets. */
export interface McpToolSettings {
  access: AccessLevel;
  description?: string;
  paramDescriptions?: Record<string, string>;
}

/** The tool the model sees for one MCP server tool, named `<server>__<tool>`. */
export function createMcpTool(
  session: McpSession,
  listed: McpListedTool,
  settings: McpToolSettings,
  options: { callTimeoutMs: number },
): Tool {
  const name = `${session.server}${mcpNameSeparator}${listed.name}`;
  const inputSchema = objectSchema(name, listed.inputSchema, settings.paramDescriptions);
  const check = argumentCheck(name, inputSchema);
  return {
    name,
    description: settings.description ?? listed.description ?? listed.title ?? `Tool for ${name}`,
    inputSchema,
    access: settings.access,
    parse(args) {
      const checked = check(args);
      if (checked.ok) return checked;
      return { ok: false, error: describeArgumentProblems(name, checked.problems) };
    },
    async execute(args, context) {
      try {
        const result = await session.callTool(listed.name, args, {
          timeoutMs: options.callTimeoutMs,
          signal: context.signal,
        });
        return toToolResult(name, result);
      } catch (error) {
        // The SDK reports an abort as a timeout wrapping the reason; say what happened instead.
        const reason = context.signal?.aborted
          ? `aborted (${errorMessage(context.signal.reason)})`
          : errorMessage(error);
        return ToolResult.fromError(`MCP tool '${name}' failed: ${reason}`);
      }
    },
  };
}

/**
 * The server's schema, copied (overrides must not touch the listing), with `type: 'object'` and
 * `properties` forced as providers require, and parameter descriptions from the config applied.
 */
function objectSchema(
  name: string,
  schema: McpListedTool['inputSchema'],
  paramDescriptions: Record<string, string> | undefined,
): Record<string, unknown> {
  const copy = structuredClone(schema) as Record<string, unknown>;
  const rawProperties = copy['properties'];
  const properties: Record<string, unknown> = isRecord(rawProperties) ? rawProperties : {};
  for (const [param, text] of Object.entries(paramDescriptions ?? {})) {
    const property = properties[param];
    if (typeof property !== 'object' || property === null) {
      getLogger().warn(
        `MCP tool '${name}' has no parameter '${param}'; its param_descriptions entry is ignored`,
      );
      continue;
    }
    properties[param] = { ...(property as Record<string, unknown>), description: text };
  }
  return { ...copy, type: 'object', properties };
}

/**
 * The argument check compiled from the server's schema. A server whose schema is not valid JSON
 * Schema still gets its tool registered (the server is the judge of its arguments), unchecked.
 */
function argumentCheck(
  name: string,
  schema: Record<string, unknown>,
): (args: Record<string, unknown>) => ArgumentCheck {
  try {
    return compileArgumentSchema(name, schema);
  } catch (error) {
    getLogger().warn(`MCP tool '${name}': ${errorMessage(error)}; its arguments pass unchecked`);
    return (args) => ({ ok: true, value: args });
  }
}

type ContentItem = CallToolResult['content'][number];

/**
 * A call's result as the model sees it: text items joined by newlines, other items as JSON that
 * describes them (base64 payloads left out of the text), never a language repr. Image items are also
 * kept as images, which reach the model where its provider takes images in tool results.
 */
export function toToolResult(toolName: string, reply: unknown): ToolResult {
  if (typeof reply === 'object' && reply !== null && 'toolResult' in reply && !hasContent(reply)) {
    // A server on the pre-2024-11 protocol answers with `toolResult` (the SDK adds `content: []`).
    const legacy = reply.toolResult;
    // Parsed JSON holds no functions or symbols, so only undefined has no JSON text.
    const text =
      typeof legacy === 'string' ? legacy : legacy === undefined ? '' : JSON.stringify(legacy);
    return ToolResult.fromSuccess(text);
  }
  const parsed = CallToolResultSchema.safeParse(reply);
  if (!parsed.success) {
    return ToolResult.fromError(
      `MCP tool '${toolName}' failed: the server sent a malformed result: ${parsed.error.message}`,
    );
  }
  const result = parsed.data;
  let text = result.content.map(contentText).join('\n');
  if (result.content.length === 0 && result.structuredContent !== undefined) {
    text = JSON.stringify(result.structuredContent);
  }
  const images: ImageBlock[] = result.content.flatMap((item) =>
    item.type === 'image' && item.data !== ''
      ? [{ type: 'image', source: { type: 'base64', media_type: item.mimeType, data: item.data } }]
      : [],
  );
  return new ToolResult(text, result.isError === true, false, images);
}

function hasContent(reply: object): boolean {
  return 'content' in reply && Array.isArray(reply.content) && reply.content.length > 0;
}

function contentText(item: ContentItem): string {
  switch (item.type) {
    case 'text':
      return item.text;
    case 'image':
    case 'audio':
      return JSON.stringify({
        type: item.type,
        mimeType: item.mimeType,
        bytes: base64Bytes(item.data),
      });
    case 'resource': {
      const { resource } = item;
      return JSON.stringify({
        type: 'resource',
        uri: resource.uri,
        ...(resource.mimeType === undefined ? {} : { mimeType: resource.mimeType }),
        ...('text' in resource ? { text: resource.text } : { bytes: base64Bytes(resource.blob) }),
      });
    }
    case 'resource_link':
      return JSON.stringify({
        type: 'resource_link',
        uri: item.uri,
        name: item.name,
        ...(item.mimeType === undefined ? {} : { mimeType: item.mimeType }),
        ...(item.description === undefined ? {} : { description: item.description }),
      });
    default: {
      const unknown: never = item;
      return JSON.stringify(unknown);
    }
  }
}

/** The decoded size of a base64 payload, without decoding it. */
function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}
