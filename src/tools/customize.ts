import type { AccessLevel } from './access-level.js';
import type { Tool } from './types.js';

export interface ToolOverrides {
  description?: string;
  paramDescriptions?: Record<string, string>;
  access?: AccessLevel;
}

/**
 * A copy of `tool` with a config's description, parameter descriptions or access level. The shared
 * tool is left as it is (0.9.2 changed the global builtin, leaking into every program: bug 11).
 */
export function customizeTool(tool: Tool, overrides: ToolOverrides): Tool {
  const { description, paramDescriptions, access } = overrides;
  if (description === undefined && paramDescriptions === undefined && access === undefined)
    return tool;
  let inputSchema = tool.inputSchema;
  if (paramDescriptions !== undefined) {
    const properties = {
      ...((inputSchema['properties'] ?? {}) as Record<string, Record<string, unknown>>),
    };
    for (const [param, text] of Object.entries(paramDescriptions)) {
      const property = properties[param];
      if (property) properties[param] = { ...property, description: text };
    }
    inputSchema = { ...inputSchema, properties };
  }
  return {
    name: tool.name,
    description: description ?? tool.description,
    inputSchema,
    access: access ?? tool.access,
    ...(tool.runsChildren === true ? { runsChildren: true } : {}),
    parse: (args) => tool.parse(args),
    execute: (args, context) => tool.execute(args, context),
  };
}
