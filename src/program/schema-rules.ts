/**
 * Rules that span sections of a parsed config: the file-descriptor / fd-tool dependency, MCP tool
 * selections needing an `[mcp]` section, duplicate builtin tools, and one-to-one tool aliases.
 * Paths in the issues use the key the user wrote (`tools.enabled` when the alias was used).
 */
import type { z } from 'zod';
import { omitGot } from './issues.js';
import { providerParameterIssues } from './params.js';
import { providerDefinitions, providerDefinition } from '../providers/registry.js';
import type { ProviderModelKey } from '../providers/types.js';
import {
  hasFdTool,
  rawSectionsSchema,
  type RawMcpSelection,
  type RawProgramConfig,
} from './schema.js';

interface AliasUse {
  alias: string;
  target: string;
  path: PropertyKey[];
}

function mcpAliasUses(server: string, selection: RawMcpSelection): AliasUse[] {
  if (selection === 'all') return [];
  const base: PropertyKey[] = ['tools', 'mcp', server];
  if (Array.isArray(selection)) {
    return selection.flatMap((entry, index) =>
      typeof entry !== 'string' && entry.alias !== undefined
        ? [
            {
              alias: entry.alias,
              target: `${server}__${entry.name}`,
              path: [...base, index, 'alias'],
            },
          ]
        : [],
    );
  }
  return Object.entries(selection).flatMap(([tool, settings]) =>
    typeof settings !== 'string' && settings.alias !== undefined
      ? [{ alias: settings.alias, target: `${server}__${tool}`, path: [...base, tool, 'alias'] }]
      : [],
  );
}

function aliasUses(config: RawProgramConfig): AliasUse[] {
  const tools = config.tools;
  if (tools === undefined) return [];
  const key = tools.builtin !== undefined ? 'builtin' : 'enabled';
  const uses: AliasUse[] = (tools.builtin ?? tools.enabled ?? []).flatMap((entry, index) =>
    typeof entry !== 'string' && entry.alias !== undefined
      ? [{ alias: entry.alias, target: entry.name, path: ['tools', key, index, 'alias'] }]
      : [],
  );
  for (const [server, selection] of Object.entries(tools.mcp ?? {}))
    uses.push(...mcpAliasUses(server, selection));
  for (const [alias, target] of Object.entries(tools.aliases ?? {}))
    uses.push({ alias, target, path: ['tools', 'aliases', alias] });
  return uses;
}

function checkAliases(config: RawProgramConfig, ctx: z.RefinementCtx): void {
  const byTarget = new Map<string, AliasUse>();
  const byAlias = new Map<string, AliasUse>();
  for (const use of aliasUses(config)) {
    const sameTarget = byTarget.get(use.target);
    if (sameTarget !== undefined && sameTarget.alias !== use.alias) {
      ctx.addIssue({
        code: 'custom',
        path: use.path,
        message:
          `Multiple aliases point to the same target tool '${use.target}': '${sameTarget.alias}' and '${use.alias}'. ` +
          'One-to-one mapping is required.',
        params: omitGot,
      });
    }
    const sameAlias = byAlias.get(use.alias);
    if (sameAlias !== undefined && sameAlias.target !== use.target) {
      ctx.addIssue({
        code: 'custom',
        path: use.path,
        message: `Alias '${use.alias}' is already used for tool '${sameAlias.target}'; an alias must name one tool (here '${use.target}')`,
        params: omitGot,
      });
    }
    if (sameTarget === undefined) byTarget.set(use.target, use);
    if (sameAlias === undefined) byAlias.set(use.alias, use);
  }
}

function checkBuiltins(config: RawProgramConfig, ctx: z.RefinementCtx): void {
  const tools = config.tools;
  const key = tools?.builtin !== undefined ? 'builtin' : 'enabled';
  const entries = tools?.builtin ?? tools?.enabled ?? [];
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, index) => {
    const name = typeof entry === 'string' ? entry : entry.name;
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, index);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['tools', key, index],
        message: `lists '${name}' again (already at "tools.${key}[${first}]"); list each tool once`,
        params: omitGot,
      });
    }
  });
  if (config.file_descriptor?.enabled === true && !hasFdTool(entries)) {
    ctx.addIssue({
      code: 'custom',
      path: ['file_descriptor', 'enabled'],
      message:
        "is set to true, but no file descriptor tools ('read_fd', 'fd_to_file') are enabled in the [tools] section. " +
        "Add at least 'read_fd' to tools.builtin.",
      params: omitGot,
    });
  }
}

function checkMcpSelections(config: RawProgramConfig, ctx: z.RefinementCtx): void {
  const selections = Object.keys(config.tools?.mcp ?? {});
  if (selections.length === 0) return;
  const mcp = config.mcp;
  if (mcp?.config_path === undefined && mcp?.servers === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['tools', 'mcp'],
      message:
        'selects MCP tools, but there is no [mcp] section with config_path or servers to start the servers',
      params: omitGot,
    });
    return;
  }
  // With a config file the server names are only known at start(); embedded servers are known now
  // (and win over the file when both are given).
  const servers = mcp.servers;
  if (servers === undefined) return;
  const known = Object.keys(servers);
  for (const server of selections) {
    if (!known.includes(server)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tools', 'mcp', server],
        message: `names MCP server '${server}', which is not defined in [mcp.servers] (defined: ${known.join(', ') || 'none'})`,
        params: omitGot,
      });
    }
  }
}

/** What the provider refuses in `[parameters]` for the model (providers/<name>/ declares it). */
function checkProviderParameters(config: RawProgramConfig, ctx: z.RefinementCtx): void {
  if (config.parameters === undefined) return;
  const { provider, name } = config.model;
  for (const issue of providerParameterIssues(config.parameters, provider, name)) {
    if (issue.severity !== 'error') continue;
    ctx.addIssue({
      code: 'custom',
      path: ['parameters', ...issue.path],
      message: issue.message,
      params: omitGot,
    });
  }
}

const providerModelKeys: readonly ProviderModelKey[] = ['api_key_env', 'deployment', 'api_version'];

/** `[model]` keys only some providers read, set for a provider that does not read them. */
function checkProviderModelKeys(config: RawProgramConfig, ctx: z.RefinementCtx): void {
  const { provider } = config.model;
  const reads = providerDefinition(provider).modelKeys ?? [];
  for (const key of providerModelKeys) {
    if (config.model[key] === undefined || reads.includes(key)) continue;
    const readers = providerDefinitions
      .filter((definition) => definition.modelKeys?.includes(key) === true)
      .map((definition) => definition.name);
    ctx.addIssue({
      code: 'custom',
      path: ['model', key],
      message: `is only read by provider ${readers.join(', ')}; provider '${provider}' does not use it`,
      params: omitGot,
    });
  }
}

/** Add an issue for every cross-section rule the config breaks. */
export function checkCrossSection(config: RawProgramConfig, ctx: z.RefinementCtx): void {
  checkProviderModelKeys(config, ctx);
  checkProviderParameters(config, ctx);
  checkBuiltins(config, ctx);
  checkMcpSelections(config, ctx);
  checkAliases(config, ctx);
}

/** The complete raw config schema: every section's rules, then the cross-section ones. */
export const rawConfigSchema = rawSectionsSchema.superRefine(checkCrossSection);
