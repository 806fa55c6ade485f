import { errorMessage } from '../errors.js';
import { allows, type AccessLevel } from './access-level.js';
import { ToolResult } from './tool-result.js';
import type { Tool, ToolContext } from './types.js';
import type { ToolSpec } from '../conversation/tool-spec.js';

/**
 * The tools of one started program: real tools by name, aliases the model may use instead, and the
 * schemas sent to the model. It holds no process state (the process comes in through ToolContext), so
 * one registry can serve a process and all its forks without one acting on another (bug 12 of 0.9.2).
 */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();
  private readonly aliasToName = new Map<string, string>();
  private specsCache: ToolSpec[] | undefined;

  /** Add a tool; a second tool with the same name is ignored (the first wins, as in the original). */
  add(tool: Tool): boolean {
    if (this.tools.has(tool.name)) return false;
    this.tools.set(tool.name, tool);
    this.specsCache = undefined;
    return true;
  }

  /** Let the model call `target` as `alias`; the schema then shows only the alias. */
  setAlias(alias: string, target: string): void {
    this.aliasToName.set(alias, target);
    this.specsCache = undefined;
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /** The real tool behind a model-facing name (alias or real name). */
  resolve(name: string): Tool | undefined {
    return this.tools.get(this.aliasToName.get(name) ?? name);
  }

  /** @internal A registry with the same aliases whose tools went through `replace` (replays use it). */
  map(replace: (tool: Tool) => Tool): ToolRegistry {
    const copy = new ToolRegistry();
    for (const tool of this.tools.values()) copy.add(replace(tool));
    for (const [alias, target] of this.aliasToName) copy.setAlias(alias, target);
    return copy;
  }

  /** Real tool names, in registration order. */
  names(): string[] {
    return [...this.tools.keys()];
  }

  /** The schemas the model sees: aliased names substituted, in registration order. */
  specs(): ToolSpec[] {
    if (this.specsCache) return this.specsCache;
    const aliasOf = new Map<string, string>();
    for (const [alias, target] of this.aliasToName)
      if (!aliasOf.has(target)) aliasOf.set(target, alias);
    this.specsCache = [...this.tools.values()].map((tool) => ({
      name: aliasOf.get(tool.name) ?? tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
    }));
    return this.specsCache;
  }

  /**
   * Run a tool as the model asked for it. Never throws: an unknown tool, a denied one, bad arguments
   * or a failing handler all become error results that the model sees, and the run goes on.
   */
  async call(
    name: string,
    args: Record<string, unknown>,
    ceiling: AccessLevel,
    context: ToolContext,
  ): Promise<ToolResult> {
    const tool = this.resolve(name);
    if (!tool) return ToolResult.fromError('This tool is not available');
    if (!allows(ceiling, tool.access)) {
      return ToolResult.fromError(
        `Access denied: this tool requires ${tool.access} access but process has ${ceiling}`,
      );
    }
    const parsed = tool.parse(args);
    if (!parsed.ok) return ToolResult.fromError(parsed.error);
    try {
      const returned: unknown = await tool.execute(parsed.value, context);
      return returned instanceof ToolResult ? returned : ToolResult.fromSuccess(returned);
    } catch (error) {
      return ToolResult.fromError(`Tool '${tool.name}' error: ${errorMessage(error)}`);
    }
  }
}
