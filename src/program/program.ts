import path from 'node:path';
import { ConfigError, LlmprocError } from '../errors.js';
import type {
  Callback,
  CallbackFunction,
  Callbacks,
  LooseCallbackFunction,
} from '../callbacks/events.js';
import type { Message } from '../conversation/messages.js';
import { LLMProcess } from '../process/process.js';
import type { ProviderName } from '../providers/registry.js';
import { AccessLevel, parseAccessLevel } from '../tools/access-level.js';
import type { Tool } from '../tools/types.js';
import { toolFromInput, type ToolInput } from '../tools/tool-input.js';
import { describeKind } from '../tools/define-tool.js';
import type { BuiltinToolName } from '../tools/builtin/names.js';
import type { MockScript, OutputConfig, ProgramConfig } from './config.js';
import { configFromDict, loadConfigFile } from './load.js';
import { programOptionsToDict, type ProgramOptions } from './options.js';
import { checkProgramOptionKeys } from './option-keys.js';
import { startProcess } from './start.js';
import { checkHook } from '../hooks/decide.js';
import type { Hook } from '../hooks/types.js';
import { parseState } from '../process/state-schema.js';
import type { ReplayOptions } from '../traces/replay/session.js';
import { openReplay, recordedConfig, type ReplayBinding } from './from-trace.js';
import type { StepRunner } from '../process/step.js';

export type { ToolInput } from '../tools/tool-input.js';

export interface StartOptions {
  /** A saved conversation (from `getState()`) to continue. */
  state?: readonly Message[];
  /** The process's tool-access ceiling; default admin. */
  accessLevel?: AccessLevel | 'read' | 'write' | 'admin';
  /**
   * Runs each model call and tool call of the process and of its children (see `StepRunner`): a
   * durable-execution adapter such as `llmproc/restate` journals them here. Default: run directly.
   */
  step?: StepRunner;
}

/**
 * What `program.start()` returns: a promise of the process that also has `addCallback`, so the
 * seed's chained form `await program.start().addCallback(cb)` works.
 */
export class StartingProcess implements PromiseLike<LLMProcess> {
  readonly #callbacks: Callback[] = [];
  readonly #hooks: Hook[] = [];
  readonly #promise: Promise<LLMProcess>;
  #process: LLMProcess | undefined;

  /** @internal */
  constructor(started: Promise<LLMProcess>) {
    this.#promise = started.then((process) => {
      for (const callback of this.#callbacks) process.addCallback(callback);
      for (const hook of this.#hooks) process.addHook(hook);
      this.#process = process;
      return process;
    });
  }

  /** Register a callback on the process once it has started; chainable. */
  // Separate overloads, not one union: TypeScript types a lambda's parameters from the first
  // overload that fits, so `(...params) =>` narrows and `(event) =>` still type-checks.
  /* eslint-disable @typescript-eslint/unified-signatures */
  addCallback(callback: CallbackFunction | Callbacks): this;
  addCallback(callback: LooseCallbackFunction): this;
  addCallback(callback: Callback): this;
  /* eslint-enable @typescript-eslint/unified-signatures */
  addCallback(callback: Callback): this {
    // Once started, register directly: a callback added after `await` must not be lost.
    if (this.#process) this.#process.addCallback(callback);
    else this.#callbacks.push(callback);
    return this;
  }

  /** Register a hook on the process once it has started; chainable. */
  addHook(hook: Hook): this {
    checkHook(hook);
    if (this.#process) this.#process.addHook(hook);
    else this.#hooks.push(hook);
    return this;
  }

  then<T = LLMProcess, E = never>(
    onFulfilled?: ((process: LLMProcess) => T | PromiseLike<T>) | null,
    onRejected?: ((reason: unknown) => E | PromiseLike<E>) | null,
  ): Promise<T | E> {
    return this.#promise.then(onFulfilled, onRejected);
  }

  catch<E = never>(onRejected: (reason: unknown) => E | PromiseLike<E>): Promise<LLMProcess | E> {
    return this.#promise.catch(onRejected);
  }
}

function checkToolList(tools: unknown): (BuiltinToolName | Tool)[] {
  if (!Array.isArray(tools)) {
    throw new LlmprocError(
      'TOOL_INVALID',
      `tools must be a list of tool names, tools or tool definitions; got ${describeKind(tools)}`,
    );
  }
  return tools.map((tool: unknown, index) => toolFromInput(tool, index));
}

/**
 * A program: model, provider, system prompt, parameters and tools. Load one from TOML or YAML, build
 * one from a dict or in code, then `start()` it to get a process.
 *
 * @example
 * ```ts
 * import { LLMProgram } from 'llmproc';
 * const program = new LLMProgram({
 *   model: 'mock', provider: 'mock', tools: ['calculator'],
 *   mock: { turns: [{ toolCalls: [{ name: 'calculator', args: { expression: '2+2' } }] }, { text: 'The answer is 4.' }] },
 * });
 * const process = await program.start().addCallback((event) => console.log(event));
 * const result = await process.run('What is 2+2?');
 * console.log(result.lastMessage); // "The answer is 4."
 * ```
 */
export class LLMProgram {
  readonly config: ProgramConfig;
  readonly #functionTools: Tool[] = [];
  readonly #linked = new Map<string, LLMProgram>();
  readonly #linkedDescriptions = new Map<string, string>();
  #hooks: readonly Hook[] = [];
  #replay: ReplayBinding | undefined;

  // The second form is internal (loaders pass a validated config); the overload keeps it out of
  // editors' completion for users.
  constructor(options: ProgramOptions);
  /** @internal */
  // eslint-disable-next-line @typescript-eslint/unified-signatures
  constructor(options: ProgramOptions | { config: ProgramConfig; loaded: Map<string, LLMProgram> });
  constructor(
    options: ProgramOptions | { config: ProgramConfig; loaded: Map<string, LLMProgram> },
  ) {
    if ('config' in options) {
      this.config = options.config;
      this.#loadLinkedPrograms(options.loaded);
      return;
    }
    checkProgramOptionKeys(options);
    // Checked first, so an entry's index is its place in the list the user wrote.
    const tools = checkToolList(options.tools ?? []);
    const { dict, linked } = programOptionsToDict({ ...options, tools });
    this.config = configFromDict(
      dict,
      options.baseDir === undefined ? {} : { baseDir: options.baseDir },
    );
    this.#addTools(tools.filter((tool) => typeof tool !== 'string'));
    for (const [name, entry] of Object.entries(linked))
      this.addLinkedProgram(name, entry.program, entry.description);
  }

  /** Load a TOML program file. Relative paths in it resolve against its folder. */
  static fromToml(filePath: string): LLMProgram {
    return LLMProgram.#fromConfigFile(filePath, '.toml');
  }

  /** Load a YAML program file. Relative paths in it resolve against its folder. */
  static fromYaml(filePath: string): LLMProgram {
    return LLMProgram.#fromConfigFile(filePath, '.yaml');
  }

  /** Load a program file, TOML or YAML by its extension. */
  static fromFile(filePath: string): LLMProgram {
    return LLMProgram.#fromConfigFile(filePath, undefined);
  }

  /** Build a program from a config object shaped like the TOML (snake_case keys). */
  static fromDict(dict: Record<string, unknown>, options: { baseDir?: string } = {}): LLMProgram {
    return new LLMProgram({ config: configFromDict(dict, options), loaded: new Map() });
  }

  /**
   * The program a trace recorded (see docs/traces.md), whose processes answer each model call from
   * the trace instead of calling the model: fork and spawn children included. Tools run for real,
   * or are answered from the trace with `{ replayTools: true }`. A replayed run emits the recorded
   * events again and gives the same answer; a run that leaves the recording (another input, a tool
   * result that changes the next request) rejects with code `REPLAY_DIVERGED`, naming the process,
   * the turn and the first differing field of the request.
   *
   * @example
   * ```ts
   * import { LLMProgram } from 'llmproc';
   * const proc = await LLMProgram.fromTrace('run.jsonl').start();
   * const result = await proc.run('What is 6*7?'); // the recorded input
   * ```
   */
  static fromTrace(filePath: string, options: ReplayOptions = {}): LLMProgram {
    const { session, configs } = openReplay(filePath, options);
    const built = new Map<string, LLMProgram>();
    const build = (key: string): LLMProgram => {
      const existing = built.get(key);
      if (existing) return existing;
      const value = configs[key];
      if (value === undefined) {
        throw new LlmprocError(
          'TRACE_INVALID',
          `${filePath}: the header has no program "${key}" (linked programs must be recorded with it)`,
        );
      }
      const config = recordedConfig(filePath, key, value);
      const program = new LLMProgram({ config, loaded: new Map() });
      program.#replay = { session, key };
      built.set(key, program);
      const links = (value as { linkedPrograms: Record<string, { description: string }> })
        .linkedPrograms;
      for (const [name, link] of Object.entries(links))
        program.addLinkedProgram(name, build(name), link.description);
      return program;
    };
    return build('main');
  }

  /** @internal The replay this program belongs to, for programs made by `fromTrace`. */
  get replay(): ReplayBinding | undefined {
    return this.#replay;
  }

  static #fromConfigFile(filePath: string, expected: '.toml' | '.yaml' | undefined): LLMProgram {
    const ext = path.extname(filePath).toLowerCase();
    if (expected === '.yaml' && ext !== '.yaml' && ext !== '.yml') {
      throw new ConfigError(
        'CONFIG_UNSUPPORTED_FORMAT',
        `fromYaml expects a .yaml or .yml file; got ${filePath}`,
        { file: path.resolve(filePath) },
      );
    }
    if (expected === '.toml' && ext !== '.toml') {
      throw new ConfigError(
        'CONFIG_UNSUPPORTED_FORMAT',
        `fromToml expects a .toml file; got ${filePath}`,
        {
          file: path.resolve(filePath),
        },
      );
    }
    return new LLMProgram({ config: loadConfigFile(filePath), loaded: new Map() });
  }

  #loadLinkedPrograms(loaded: Map<string, LLMProgram>): void {
    if (this.config.sourceFile) loaded.set(path.resolve(this.config.sourceFile), this);
    for (const [name, entry] of Object.entries(this.config.linkedPrograms)) {
      const file = path.resolve(entry.path);
      let program = loaded.get(file);
      if (!program) program = new LLMProgram({ config: loadConfigFile(file), loaded });
      this.#linked.set(name, program);
      this.#linkedDescriptions.set(name, entry.description);
    }
  }

  get model(): string {
    return this.config.model;
  }

  get provider(): ProviderName {
    return this.config.provider;
  }

  get displayName(): string {
    return this.config.displayName;
  }

  get systemPrompt(): string {
    return this.config.systemPrompt;
  }

  get userPrompt(): string | undefined {
    return this.config.userPrompt;
  }

  get maxIterations(): number {
    return this.config.maxIterations;
  }

  get parameters(): Readonly<Record<string, unknown>> {
    return this.config.parameters;
  }

  get disableAutomaticCaching(): boolean {
    return this.config.disableAutomaticCaching;
  }

  get stream(): boolean {
    return this.config.stream;
  }

  /** `[output]`: the JSON Schema every run's answer must match, and its retry count. */
  get output(): OutputConfig | undefined {
    return this.config.output;
  }

  get mock(): MockScript | undefined {
    return this.config.mock;
  }

  /**
   * Add tools: builtin names (`"calculator"`), tools from `defineTool`, or tool definitions. Every
   * entry is checked before any is added, so a bad one (no callable `execute`, an invalid name, a
   * non-object schema) throws naming its index and tool and leaves the program as it was.
   */
  registerTools(tools: readonly ToolInput[]): this {
    this.#addTools(checkToolList(tools));
    return this;
  }

  #addTools(tools: readonly (BuiltinToolName | Tool)[]): void {
    for (const tool of tools) {
      if (typeof tool !== 'string') this.#functionTools.push(tool);
      else if (!this.config.tools.builtin.some((entry) => entry.name === tool))
        this.config.tools.builtin.push({ name: tool });
    }
  }

  /**
   * Register a hook for every process this program starts from now on (spawned children of a linked
   * program included); chainable. See docs/control.md.
   */
  addHook(hook: Hook): this {
    this.#hooks = [...this.#hooks, checkHook(hook)];
    return this;
  }

  /** The program's hooks, in registration order. */
  get hooks(): readonly Hook[] {
    return this.#hooks;
  }

  /** Tools added in code (not builtins), in registration order. */
  get functionTools(): readonly Tool[] {
    return this.#functionTools;
  }

  /** Link another program under a name, for the spawn tool. */
  addLinkedProgram(name: string, program: LLMProgram, description = ''): this {
    this.#linked.set(name, program);
    this.#linkedDescriptions.set(name, description);
    return this;
  }

  /** The linked programs' names and descriptions, in link order. */
  get linkedPrograms(): { name: string; description: string }[] {
    return [...this.#linked.keys()].map((name) => ({
      name,
      description: this.#linkedDescriptions.get(name) ?? '',
    }));
  }

  /** @internal */
  getLinkedProgram(name: string): LLMProgram {
    const program = this.#linked.get(name);
    if (!program) throw new LlmprocError('UNKNOWN_PROGRAM', `Program '${name}' not found`);
    return program;
  }

  /** @internal A copy of this program that also preloads `files` (resolved against the program's folder). */
  withPreloadFiles(files: readonly string[]): LLMProgram {
    const resolved = files.map((file) => path.resolve(this.config.baseDir, file));
    const config: ProgramConfig = {
      ...this.config,
      preload: { ...this.config.preload, files: [...this.config.preload.files, ...resolved] },
    };
    const copy = new LLMProgram({ config, loaded: new Map() });
    copy.#replay = this.#replay;
    copy.#functionTools.push(...this.#functionTools);
    copy.#hooks = this.#hooks;
    for (const [name, program] of this.#linked)
      copy.addLinkedProgram(name, program, this.#linkedDescriptions.get(name));
    return copy;
  }

  /**
   * Start a process: create the provider client (failing here on missing credentials), build the
   * system prompt (env info, preloaded files), set up tools. Returns a promise of the process that
   * also has `addCallback`.
   */
  start(options: StartOptions = {}): StartingProcess {
    const started = Promise.resolve().then(() =>
      startProcess(this, {
        accessLevel: parseAccessLevel(options.accessLevel ?? AccessLevel.ADMIN),
        hooks: this.#hooks,
        ...(options.state ? { state: parseState(options.state) } : {}),
        ...(options.step ? { step: options.step } : {}),
      }),
    );
    return new StartingProcess(started);
  }
}
