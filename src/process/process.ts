import { randomUUID } from 'node:crypto';
import { CallbackEmitter } from '../callbacks/emitter.js';
import type {
  Callback,
  CallbackFunction,
  Callbacks,
  EventArgs,
  LooseCallbackFunction,
} from '../callbacks/events.js';
import { SettlementTracker } from '../callbacks/settlement.js';
import { LlmprocError } from '../errors.js';
import type { ProgramConfig } from '../program/config.js';
import type { Provider, TokenCount } from '../providers/types.js';
import { AccessLevel, allows, parseAccessLevel } from '../tools/access-level.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { ToolResult } from '../tools/tool-result.js';
import type { ToolContext, ToolProcess } from '../tools/types.js';
import type { ToolSpec } from '../conversation/tool-spec.js';
import { messageText, type Message } from '../conversation/messages.js';
import type { FileDescriptorManager } from '../tools/fd/manager.js';
import { extractReferences, maybePageToolOutput, maybePageUserInput } from '../tools/fd/paging.js';
import type { TimeTravelEntry } from '../tools/types.js';
import { RunResult } from './run-result.js';
import { runLoop, type LoopHost } from './run-loop.js';
import { runStepDirectly, type StepRunner } from './step.js';
import { checkHook } from '../hooks/decide.js';
import { checkBudget, RunBudget, type Budget } from './budget.js';
import type { Hook } from '../hooks/types.js';

/**
 * Options of `run()`. A bare number is taken as `maxIterations`. The budget keys (`maxTokens`,
 * `maxCostUsd`, `timeoutMs`) override the program's `[budget]` defaults key by key; a run that
 * reaches one resolves with `status: "budget"` (see docs/control.md).
 */
export interface RunOptions extends Budget {
  /** Most model calls this run may make (default: the program's `max_iterations`, else 10). */
  maxIterations?: number;
  /** Cancels the in-flight model call and tool, and the run. */
  signal?: AbortSignal;
  /** Stream model output (`text_delta` events); defaults to the program's setting. */
  stream?: boolean;
}

export interface ForkOptions {
  /** The child's access ceiling; default write. */
  accessLevel?: AccessLevel | 'read' | 'write' | 'admin';
  /** @internal The child's conversation instead of a copy of the parent's (the fork tool uses it). */
  state?: readonly Message[];
}

/** What a spawn asks of the program layer; `sharedProvider` is set when a program spawns itself. */
export interface SpawnRequest {
  programName: string;
  preloadFiles: readonly string[];
  parent: LLMProcess;
  callbacks: readonly Callback[];
  /** The parent's hooks: a spawned child decides its calls as its parent does. */
  hooks: readonly Hook[];
  /** The parent's provider as a fork would get it (self-spawns continue the mock's script). */
  forkProvider: () => Provider;
  parentFileDescriptors: FileDescriptorManager | undefined;
}

/**
 * @internal Starts a spawned child. The program layer supplies it, so a process reads only its plain
 * configuration and never the `LLMProgram` class.
 */
export type SpawnChild = (request: SpawnRequest) => Promise<LLMProcess>;

/** @internal Everything a process is made of; built by LLMProgram.start(). */
export interface ProcessInit {
  /** The program's validated configuration (plain data). */
  config: ProgramConfig;
  /** How the spawn tool starts a child; absent, spawning is refused. */
  spawn?: SpawnChild;
  provider: Provider;
  tools: ToolRegistry;
  systemPrompt: string;
  accessLevel: AccessLevel;
  parent?: LLMProcess;
  callbacks?: readonly Callback[];
  /** Hooks in force from the start: the program's, or the parent's for a child. */
  hooks?: readonly Hook[];
  state?: readonly Message[];
  /** Resources this process owns and closes (MCP clients); forks share but do not own them. */
  owned?: { close(): Promise<void> }[];
  step?: StepRunner;
  /** Whether `close()` closes the provider; false for forks, which share their parent's. */
  ownsProvider?: boolean;
  /** Send user messages with "[msg_N] " ids (on when the goto tool is registered). */
  messageIds?: boolean;
  /** The file-descriptor store, when the program enables the fd system. */
  fileDescriptors?: FileDescriptorManager;
}

const constructToken = Symbol('LLMProcess.construct');
let nextPid = 1;

/**
 * A running program: a conversation, a stderr log, callbacks, and the model/tool loop. Made by
 * `program.start()`, never constructed directly.
 */
export class LLMProcess {
  /** Unique within this Node process. */
  readonly pid: number;
  /** The process this one was forked or spawned from. */
  readonly parent: LLMProcess | undefined;
  /** The tool-access ceiling: tools above it answer "Access denied". */
  readonly accessLevel: AccessLevel;
  /** The system prompt sent to the model: the program's prompt plus env info and preloaded files. */
  readonly systemPrompt: string;
  /** Stop reason of the latest run, null before any. */
  lastStopReason: string | null = null;

  readonly #config: ProgramConfig;
  readonly #spawn: SpawnChild | undefined;
  readonly #toolView: ToolProcess;
  #state: Message[];
  readonly #stderr: string[] = [];
  readonly #tracker: SettlementTracker;
  readonly #emitter: CallbackEmitter;
  readonly #provider: Provider;
  readonly #tools: ToolRegistry;
  readonly #owned: { close(): Promise<void> }[];
  readonly #step: StepRunner;
  readonly #messageIds: boolean;
  readonly #ownsProvider: boolean;
  readonly #fileDescriptors: FileDescriptorManager | undefined;
  readonly #timeTravelHistory: TimeTravelEntry[] = [];
  // Copy on write, like the callback list: a tool call in progress keeps the list it started with.
  #hooks: readonly Hook[];
  #turnCounter = 0;
  #running = false;
  /** The RunResult of the run in progress, which children made by its tool calls add their usage to. */
  #currentRun: RunResult | undefined;
  /** The parent's run whose tool call made this child: the child's runs are part of it. */
  readonly #parentRun: RunResult | undefined;
  /** The budget of the run in progress, which children made by its tool calls spend from. */
  #currentBudget: RunBudget | undefined;
  /** The budget of the parent's run whose tool call made this child. */
  readonly #parentBudget: RunBudget | undefined;
  #closed = false;

  /** @internal Use `program.start()`. */
  constructor(token: symbol, init: ProcessInit) {
    if (token !== constructToken) {
      throw new LlmprocError(
        'INVALID_ARGUMENT',
        'LLMProcess is created by program.start(), not by new',
      );
    }
    this.pid = nextPid++;
    this.parent = init.parent;
    this.#config = init.config;
    this.#spawn = init.spawn;
    this.accessLevel = init.accessLevel;
    this.systemPrompt = init.systemPrompt;
    this.#state = init.state ? structuredClone([...init.state]) : [];
    this.#tracker = new SettlementTracker(init.parent ? init.parent.#tracker : undefined);
    // A child made while its parent is inside a tool call (the fork and spawn tools, or a custom tool
    // calling forkProcess()) belongs to that call: its events name it as their parentToolUseId.
    const parent = init.parent;
    const parentToolUseId = parent ? parent.#emitter.scope.toolUseId : undefined;
    this.#emitter = new CallbackEmitter(this, this.#tracker, init.callbacks, parentToolUseId);
    this.#parentRun = parent && parentToolUseId !== undefined ? parent.#currentRun : undefined;
    this.#parentBudget =
      parent && parentToolUseId !== undefined ? parent.#currentBudget : undefined;
    this.#provider = init.provider;
    this.#tools = init.tools;
    this.#owned = init.owned ?? [];
    this.#step = init.step ?? runStepDirectly;
    this.#messageIds = init.messageIds ?? false;
    this.#ownsProvider = init.ownsProvider ?? true;
    this.#fileDescriptors = init.fileDescriptors;
    this.#hooks = [...(init.hooks ?? [])];
    this.#toolView = this.#makeToolView();
  }

  /** @internal */
  static create(init: ProcessInit): LLMProcess {
    return new LLMProcess(constructToken, init);
  }

  /** The model name the program configures. */
  get model(): string {
    return this.#config.model;
  }

  /** The provider name the program configures (`anthropic`, `openai`, `mock`, ...). */
  get provider(): string {
    return this.#config.provider;
  }

  /** The program's display name (`[model].display_name`, else the model name). */
  get displayName(): string {
    return this.#config.displayName;
  }

  /** The tool schemas the model sees (aliases substituted). */
  get tools(): ToolSpec[] {
    return this.#tools.specs();
  }

  /** Every goto jump of this process, oldest first. */
  get timeTravelHistory(): TimeTravelEntry[] {
    return [...this.#timeTravelHistory];
  }

  /** The default cap on model calls per run. */
  get maxIterations(): number {
    return this.#config.maxIterations;
  }

  /** Register a function or object callback; returns the process, for chaining. */
  // Separate overloads, not one union: TypeScript types a lambda's parameters from the first
  // overload that fits, so `(...params) =>` narrows and `(event) =>` still type-checks.
  /* eslint-disable @typescript-eslint/unified-signatures */
  addCallback(callback: CallbackFunction | Callbacks): this;
  addCallback(callback: LooseCallbackFunction): this;
  addCallback(callback: Callback): this;
  /* eslint-enable @typescript-eslint/unified-signatures */
  addCallback(callback: Callback): this {
    this.#emitter.add(callback);
    return this;
  }

  /** Unregister a callback added with `addCallback`. */
  removeCallback(callback: Callback): this {
    this.#emitter.remove(callback);
    return this;
  }

  /** A copy of the registered callbacks, in registration order. */
  getCallbacks(): Callback[] {
    return this.#emitter.list();
  }

  /**
   * Register a hook that decides about tool calls (allow, deny, rewrite the arguments, answer without
   * running, replace the result). Hooks run in registration order; children inherit them. Returns the
   * process, for chaining. See docs/control.md.
   */
  addHook(hook: Hook): this {
    this.#hooks = [...this.#hooks, checkHook(hook)];
    return this;
  }

  /** Unregister a hook added with `addHook` (or inherited). */
  removeHook(hook: Hook): this {
    const index = this.#hooks.indexOf(hook);
    if (index !== -1) this.#hooks = this.#hooks.filter((_, i) => i !== index);
    return this;
  }

  /** A copy of the hooks in force, in the order they run. */
  getHooks(): Hook[] {
    return [...this.#hooks];
  }

  /** Emit an event to this process's callbacks (custom tools use it to report their own progress). */
  triggerEvent<E extends keyof EventArgs>(event: E, ...args: EventArgs[E]): void {
    this.#emitter.emitArgs(event, args);
  }

  /**
   * Append `input` as a user message and run the model/tool loop until the model stops calling tools
   * or `maxIterations` model calls were made. Resolves after every callback promise started during the
   * run (children included) has settled.
   *
   * If a model call fails before the run committed any reply, the conversation is put back as it was
   * before `run()` (so the same input can be sent again); a failure later keeps the turns already
   * committed, which always pair each tool call with its result.
   */
  async run(input: string, options: RunOptions | number = {}): Promise<RunResult> {
    if (typeof input !== 'string' || input.trim() === '') {
      throw new LlmprocError('EMPTY_INPUT', 'User input cannot be empty');
    }
    if (this.#closed)
      throw new LlmprocError('INVALID_ARGUMENT', `Process ${String(this.pid)} is closed`);
    if (this.#running) {
      throw new LlmprocError(
        'INVALID_ARGUMENT',
        `Process ${String(this.pid)} is already running; await its run() before starting another`,
      );
    }
    const opts = typeof options === 'number' ? { maxIterations: options } : options;
    const maxIterations = opts.maxIterations ?? this.#config.maxIterations;
    if (!Number.isInteger(maxIterations) || maxIterations < 0) {
      throw new LlmprocError(
        'INVALID_ARGUMENT',
        `maxIterations must be a non-negative integer; got ${String(maxIterations)}`,
      );
    }
    const budget = this.#startBudget(opts);
    const result = new RunResult(randomUUID());
    const scope = this.#emitter.scope;
    scope.runId = result.runId;
    scope.turn = 0;
    this.#currentRun = result;
    this.#currentBudget = budget;
    this.#running = true;
    this.#tracker.beginRun();
    let failure: { error: unknown; aborted: boolean } | undefined;
    try {
      const fd = this.#fileDescriptors;
      const signals = [opts.signal, budget?.signal].filter((s) => s !== undefined);
      await runLoop(this.#loopHost(), fd ? maybePageUserInput(fd, input) : input, {
        maxIterations,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
        stream: opts.stream ?? this.#config.stream,
        result,
        budget,
        priceOf: () => null,
      });
    } catch (error) {
      failure = { error, aborted: isAbort(error, opts.signal) };
    } finally {
      budget?.dispose();
    }
    try {
      this.lastStopReason = result.stopReason;
      if (this.#fileDescriptors) extractReferences(this.#fileDescriptors, this.getLastMessage());
      result.finish(this.getLastMessage(), failure);
      this.#addToParentRun(result);
      scope.toolUseId = undefined;
      // Last event of the run, whatever its outcome; its async callbacks are awaited below like all.
      this.#emitter.emit('run_end', result);
    } finally {
      this.#currentRun = undefined;
      this.#currentBudget = undefined;
      scope.runId = undefined;
      scope.turn = undefined;
      this.#running = false;
      await this.#tracker.endRun();
    }
    if (failure) throw failure.error;
    return result;
  }

  /**
   * The budget of a run: its options over the program's `[budget]` defaults, chained to the budget of
   * the parent's run when a tool call of that run made this process (fork and spawn children spend
   * from it). Undefined when neither sets a limit, so a run without budgets pays nothing for them.
   */
  #startBudget(options: RunOptions): RunBudget | undefined {
    const defaults = this.#config.budget;
    const limits = checkBudget(
      {
        ...defaults,
        ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
        ...(options.maxCostUsd === undefined ? {} : { maxCostUsd: options.maxCostUsd }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      },
      'run()',
    );
    const parent =
      this.#parentBudget && this.parent && this.parent.#currentBudget === this.#parentBudget
        ? this.#parentBudget
        : undefined;
    if (!parent && Object.keys(limits).length === 0) return undefined;
    return new RunBudget(limits, parent);
  }

  /** A child's run made by a tool call of its parent's run is part of what that run spent. */
  #addToParentRun(result: RunResult): void {
    const parentRun = this.#parentRun;
    if (parentRun && this.parent && parentRun === this.parent.#currentRun)
      parentRun.addUsage(result.usage);
  }

  /** Text of the last message if it is the assistant's (text blocks joined by a space), else "". */
  getLastMessage(): string {
    const last = this.#state.at(-1);
    return last?.role === 'assistant' ? messageText(last) : '';
  }

  /** A deep copy of the conversation: plain JSON, safe to save and to pass to `start({ state })`. */
  getState(): Message[] {
    return structuredClone(this.#state);
  }

  /** A copy of what `write_stderr` appended. */
  getStderrLog(): string[] {
    return [...this.#stderr];
  }

  /**
   * Append to the stderr log and fire `stderr_write`, as the `write_stderr` tool does (a custom tool
   * reaches it as `context.process.writeStderr`).
   */
  writeStderr(text: string): void {
    this.#stderr.push(text);
    this.#emitter.emit('stderr_write', text);
  }

  /** Empty the conversation, as 0.9.2's `reset_state()` does (the system prompt stays). */
  resetState(): void {
    this.#state = [];
  }

  /**
   * An independent copy of this process: a deep copy of the conversation, a copy of the callback list
   * (so the parent's callbacks see the child's events, with `EventContext.parentPid` set), the same
   * program, tools and system prompt, access level write by default. Requires admin access.
   */
  forkProcess(options: ForkOptions = {}): Promise<LLMProcess> {
    if (!allows(this.accessLevel, AccessLevel.ADMIN)) {
      return Promise.reject(
        new LlmprocError(
          'ACCESS_DENIED',
          'Forking requires ADMIN access level and is not allowed for this process',
        ),
      );
    }
    const child = LLMProcess.create({
      config: this.#config,
      ...(this.#spawn ? { spawn: this.#spawn } : {}),
      provider: this.#provider.fork?.() ?? this.#provider,
      tools: this.#tools,
      systemPrompt: this.systemPrompt,
      accessLevel: parseAccessLevel(options.accessLevel ?? AccessLevel.WRITE),
      parent: this,
      callbacks: this.#emitter.list(),
      hooks: this.#hooks,
      state: options.state ?? this.#state,
      step: this.#step,
      messageIds: this.#messageIds,
      ownsProvider: false,
      ...(this.#fileDescriptors ? { fileDescriptors: this.#fileDescriptors.clone() } : {}),
    });
    return Promise.resolve(child);
  }

  /**
   * Run a tool as the model would (alias, access check, argument check, fd paging of a large result),
   * as 0.9.2's `call_tool()` does; never throws: every failure is an error `ToolResult`.
   */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    context: Partial<Omit<ToolContext, 'process'>> = {},
  ): Promise<ToolResult> {
    const result = await this.#tools.call(name, args, this.accessLevel, {
      process: this.#toolView,
      signal: context.signal,
      toolUseId: context.toolUseId ?? `call_${String(this.pid)}_${String(Date.now())}`,
      turn: context.turn ?? { assistantBlocks: [], toolResults: [] },
    });
    const fd = this.#fileDescriptors;
    // Paging decides by the real tool name, so read_fd output is never paged even when aliased.
    return fd ? maybePageToolOutput(fd, this.#tools.resolve(name)?.name ?? name, result) : result;
  }

  /** The provider's token count for the conversation as it stands, or null where it has no counter. */
  countTokens(options: { signal?: AbortSignal } = {}): Promise<TokenCount | null> {
    return this.#provider.countTokens(
      {
        model: this.#config.model,
        systemPrompt: this.systemPrompt,
        messages: this.#state,
        tools: this.#tools.specs(),
        parameters: this.#config.parameters,
        promptCaching: !this.#config.disableAutomaticCaching,
        stream: false,
      },
      options.signal ? { signal: options.signal } : {},
    );
  }

  /** Release what this process owns (MCP connections, provider clients). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const owned = [...this.#owned];
    const provider = this.#provider;
    if (this.#ownsProvider && provider.close)
      owned.push({ close: () => provider.close?.() ?? Promise.resolve() });
    await Promise.allSettled(owned.map((resource) => resource.close()));
  }

  /** The narrow view of this process that tools get as `context.process`. */
  #makeToolView(): ToolProcess {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the view's getters read this process
    const self = this;
    return {
      pid: this.pid,
      getState: () => this.getState(),
      writeStderr: (text) => {
        this.writeStderr(text);
      },
      triggerEvent: (event, ...args) => {
        this.#emitter.emitArgs(event, args);
      },
      forkProcess: (options) => this.forkProcess(options),
      spawnChild: (programName, preloadFiles) => {
        if (!this.#spawn) {
          return Promise.reject(
            new LlmprocError('INVALID_ARGUMENT', 'This process cannot spawn children'),
          );
        }
        return this.#spawn({
          programName,
          preloadFiles,
          parent: this,
          callbacks: this.#emitter.list(),
          hooks: this.#hooks,
          forkProvider: () => this.#provider.fork?.() ?? this.#provider,
          parentFileDescriptors: this.#fileDescriptors,
        });
      },
      get fileDescriptors() {
        return self.#fileDescriptors;
      },
      timeTravel: {
        getMessages: () => this.#state,
        replaceMessages: (messages) => {
          this.#state = messages;
        },
        recordTimeTravel: (entry) => this.#timeTravelHistory.push(entry),
      },
    };
  }

  #loopHost(): LoopHost {
    return {
      process: this,
      config: this.#config,
      provider: this.#provider,
      tools: this.#tools,
      emitter: this.#emitter,
      scope: this.#emitter.scope,
      step: this.#step,
      messageIds: this.#messageIds,
      getState: () => this.#state,
      setState: (state) => {
        this.#state = state;
      },
      nextTurnNumber: () => ++this.#turnCounter,
      hooks: () => this.#hooks,
    };
  }
}

/** Whether a run's failure is its abort: the ABORTED error, or any error once its signal fired. */
function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return (error instanceof LlmprocError && error.code === 'ABORTED') || signal?.aborted === true;
}
