import type { Callback } from '../callbacks/events.js';
import { ConfigError } from '../errors.js';
import { formatKeyPath } from './issues.js';
import type { Message } from '../conversation/messages.js';
import { LLMProcess, type SpawnChild } from '../process/process.js';
import { createProvider } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import type { StepRunner } from '../process/step.js';
import { AccessLevel } from '../tools/access-level.js';
import { createBuiltinTool } from '../tools/builtin/catalogue.js';
import { customizeTool } from '../tools/customize.js';
import { ToolRegistry } from '../tools/registry.js';
import { FileDescriptorManager } from '../tools/fd/manager.js';
import { fileDescriptorInstructions } from '../tools/fd/instructions.js';
import type { McpTools } from '../tools/mcp/connect.js';
import type { ProgramConfig } from './config.js';
import type { Tool } from '../tools/types.js';
import type { Hook } from '../hooks/types.js';
import { buildEnrichedSystemPrompt } from './system-prompt.js';
import type { ReplayBinding } from './from-trace.js';
import { rememberProgram } from './process-programs.js';

export interface StartProcessOptions {
  accessLevel: AccessLevel;
  state?: readonly Message[];
  parent?: LLMProcess;
  callbacks?: readonly Callback[];
  hooks?: readonly Hook[];
  /** A provider to use instead of creating one (spawning the same program shares the parent's). */
  provider?: Provider;
  step?: StepRunner;
  stepPrefix?: string;
  /** A spawning parent's descriptors: the child sees the references its parent made. */
  parentFileDescriptors?: FileDescriptorManager;
}

/** What starting needs of a program (LLMProgram has it; an interface keeps program.ts out of here). */
export interface StartableProgram {
  readonly config: ProgramConfig;
  readonly functionTools: readonly Tool[];
  readonly linkedPrograms: readonly { name: string; description: string }[];
  /** Hooks for every process of this program (a spawned child gets them after its parent's). */
  readonly hooks: readonly Hook[];
  getLinkedProgram(name: string): StartableProgram;
  withPreloadFiles(files: readonly string[]): StartableProgram;
  /** Set for programs made by `LLMProgram.fromTrace`. */
  readonly replay?: ReplayBinding | undefined;
}

/**
 * How processes of `program` start spawned children: write access, the parent's callbacks, the
 * parent's hooks followed by the spawned program's own (each hook once).
 */
function spawnerFor(program: StartableProgram): SpawnChild {
  return (request) => {
    // As in the original: no name, or no linked programs at all, means this program.
    const isSelf = request.programName === '' || program.linkedPrograms.length === 0;
    const base = isSelf ? program : program.getLinkedProgram(request.programName);
    const target =
      request.preloadFiles.length > 0 ? base.withPreloadFiles(request.preloadFiles) : base;
    return startProcess(target, {
      accessLevel: AccessLevel.WRITE,
      parent: request.parent,
      callbacks: request.callbacks,
      hooks: [...request.hooks, ...target.hooks.filter((hook) => !request.hooks.includes(hook))],
      // Spawning itself, a process shares its provider as a fork does (the mock then continues
      // its script instead of replaying it from the first turn).
      ...(isSelf ? { provider: request.forkProvider() } : {}),
      ...(request.parentFileDescriptors
        ? { parentFileDescriptors: request.parentFileDescriptors }
        : {}),
      step: request.step,
      stepPrefix: request.stepPrefix,
    });
  };
}

/** The tool registry of a program: builtins (with config overrides and aliases), then code tools. */
export function buildToolRegistry(program: StartableProgram): ToolRegistry {
  const registry = new ToolRegistry();
  const { builtin, aliases, fileRoots, maxReadBytes } = program.config.tools;
  const fileAccess = { roots: fileRoots, maxReadBytes };
  for (const entry of builtin) {
    const tool = createBuiltinTool(entry.name, {
      linkedPrograms: program.linkedPrograms,
      fileAccess,
    });
    registry.add(
      customizeTool(tool, {
        ...(entry.description !== undefined ? { description: entry.description } : {}),
        ...(entry.paramDescriptions !== undefined
          ? { paramDescriptions: entry.paramDescriptions }
          : {}),
        ...(entry.access !== undefined ? { access: entry.access } : {}),
      }),
    );
    if (entry.alias !== undefined) registry.setAlias(entry.alias, entry.name);
  }
  for (const tool of program.functionTools) registry.add(tool);
  for (const [alias, target] of Object.entries(aliases)) registry.setAlias(alias, target);
  return registry;
}

/**
 * What `program.start()` does, in the original's order: provider client (credentials are checked
 * here, before any request), system prompt, tools, then the process.
 */
export async function startProcess(
  program: StartableProgram,
  options: StartProcessOptions,
): Promise<LLMProcess> {
  const { config } = program;
  const replay = program.replay;
  const provider: Provider =
    options.provider ??
    (replay
      ? await replay.session.createProvider(config, options.parent === undefined)
      : await createProvider({
          provider: config.provider,
          model: config.model,
          env: process.env,
          ...(config.projectId !== undefined ? { projectId: config.projectId } : {}),
          ...(config.region !== undefined ? { region: config.region } : {}),
          ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl } : {}),
          ...(config.apiKeyEnv !== undefined ? { apiKeyEnv: config.apiKeyEnv } : {}),
          ...(config.deployment !== undefined ? { deployment: config.deployment } : {}),
          ...(config.apiVersion !== undefined ? { apiVersion: config.apiVersion } : {}),
          ...(config.mock !== undefined ? { mock: config.mock } : {}),
        }));
  const ownsProvider = options.provider === undefined;
  let mcp: McpTools | undefined;
  try {
    let tools = buildToolRegistry(program);
    // A replay that answers tools from the trace needs no MCP server: their calls are answered too.
    if (Object.keys(config.tools.mcp).length > 0 && !replay?.session.replayTools) {
      // Loaded only when a program uses MCP: the SDK is large and most programs do not.
      const { connectMcpTools } = await import('../tools/mcp/connect.js');
      mcp = await connectMcpTools(config);
      for (const tool of mcp.tools) tools.add(tool);
      for (const [alias, target] of Object.entries(mcp.aliases)) tools.setAlias(alias, target);
    }
    for (const [alias, target] of Object.entries(config.tools.aliases)) {
      if (!tools.has(target)) {
        const keyPath = `tools.aliases.${formatKeyPath([alias])}`;
        throw new ConfigError(
          'CONFIG_INVALID',
          `${config.sourceFile ?? '<dict>'}: "${keyPath}" points to '${target}', which is not a registered tool (registered: ${tools.names().join(', ') || 'none'})`,
          { keyPath, ...(config.sourceFile === undefined ? {} : { file: config.sourceFile }) },
        );
      }
    }
    const fdConfig = config.fileDescriptor?.enabled ? config.fileDescriptor : undefined;
    const parentFds = options.parentFileDescriptors;
    // 0.9.2 §6.2: a parent with file descriptors on turns them on in the child it spawns, with the
    // parent's settings when the child's program has none of its own. The child's system prompt
    // stays its program's own, as in the original.
    const fdSettings = fdConfig ?? parentFds?.settings;
    const fileDescriptors = fdSettings ? new FileDescriptorManager(fdSettings) : undefined;
    // A spawned child sees the references its parent made (as in the original).
    if (fileDescriptors && parentFds?.settings.enableReferences)
      fileDescriptors.copyReferencesFrom(parentFds);
    if (replay) tools = replay.session.toolsFor(tools, replay.key);
    // A replay sends the recorded system prompt: env info and preloaded files as they were then.
    const systemPrompt = replay
      ? replay.session.systemPromptFor(replay.key)
      : await buildEnrichedSystemPrompt(config, {
          fileDescriptorInstructions: fileDescriptorInstructions(fdConfig).join('\n\n'),
        });
    const started = LLMProcess.create({
      config,
      spawn: spawnerFor(program),
      provider,
      tools,
      systemPrompt,
      accessLevel: options.accessLevel,
      ...(options.parent ? { parent: options.parent } : {}),
      // A replayed top-level process runs with the options of the recorded runs.
      ...(replay && options.parent === undefined
        ? { runDefaults: () => replay.session.nextRunOptions() }
        : {}),
      ...(options.callbacks ? { callbacks: options.callbacks } : {}),
      ...(options.hooks ? { hooks: options.hooks } : {}),
      ...(options.state ? { state: options.state } : {}),
      ...(options.step ? { step: options.step } : {}),
      ...(options.stepPrefix ? { stepPrefix: options.stepPrefix } : {}),
      messageIds: tools.names().includes('goto'),
      ...(fileDescriptors ? { fileDescriptors } : {}),
      ownsProvider,
      ...(mcp ? { owned: [mcp] } : {}),
    });
    rememberProgram(started, program);
    return started;
  } catch (error) {
    await mcp?.close();
    if (ownsProvider) await provider.close?.();
    throw error;
  }
}
