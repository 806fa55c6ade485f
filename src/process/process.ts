import { randomUUID } from 'node:crypto';
import { CallbackEmitter } from '../callbacks/emitter.js';
import type {
  Callback,
  CallbackFunction,
  Callbacks,
  EventArgs,
  LooseCallbackFunction,
} from '../callbacks/events.js';
import { SettlementTracker, type UnsettledCallback } from '../callbacks/settlement.js';
import { getLogger } from '../internal/logger.js';
import { LlmprocError } from '../errors.js';
import { runAborted } from '../internal/abort.js';
import { hasModelPrice } from '../cost/price-table.js';
import type { ProgramConfig } from '../program/config.js';
import type { Provider, TokenCount } from '../providers/types.js';
import { AccessLevel, allows, parseAccessLevel } from '../tools/access-level.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { ToolResult } from '../tools/tool-result.js';
import type { ToolContext, ToolProcess } from '../tools/types.js';
import type { ToolSpec } from '../conversation/tool-spec.js';
import { messageText, type Message, type UserBlock } from '../conversation/messages.js';
import { strictestMediaSupport } from '../conversation/media.js';
import { checkRequestMedia, resolveInputParts, type RunInput } from './input-parts.js';
import type { FileDescriptorManager } from '../tools/fd/manager.js';
import { boundToolResult } from '../tools/result-bounds.js';
import { extractReferences, maybePageToolOutput, maybePageUserInput } from '../tools/fd/paging.js';
import type { TimeTravelEntry } from '../tools/types.js';
import { RunResult } from './run-result.js';
import {
  DEFAULT_OUTPUT_RETRIES,
  resolveOutput,
  type InferOutput,
  type OutputSchema,
  type ResolvedOutput,
} from './output.js';
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
  /**
   * Ask for the final answer as a JSON object matching this schema (a zod object schema or a JSON
   * Schema); `RunResult.output` holds it parsed and validated. Defaults to the program's `[output]`.
   */
  output?: OutputSchema;
  /**
   * How many times an answer that fails the schema is sent back with its errors before the run
   * rejects with OUTPUT_INVALID (default: the program's `[output] retries`, else 1).
   */
  outputRetries?: number;
  /**
   * For tests: reject with the first error a callback threw or rejected with during the run (its
   * children's included), once the run has ended. Without it, such errors are only logged and
   * delivered as `callback_error` events.
   */
  strict?: boolean;
  /**
   * How long, after its last step, the run waits for its async callbacks to settle (default: as long
   * as they take). When it passes, `run()` resolves anyway and lists the callbacks still pending in
   * `RunResult.unsettledCallbacks`. Fork and spawn children made during the run inherit it.
   */
  callbackTimeoutMs?: number;
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
  /** The parent's step runner, and the name space of the child's steps. */
  step: StepRunner;
  stepPrefix: string;
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
  /** Prepended to this process's step names: a child's steps are named after the step that made it. */
  stepPrefix?: string;
  /** Whether `close()` closes the provider; false for forks, which share their parent's. */
  ownsProvider?: boolean;
  /** Send user messages with "[msg_N] " ids (on when the goto tool is registered). */
  messageIds?: boolean;
  /** The file-descriptor store, when the program enables the fd system. */
  fileDescriptors?: FileDescriptorManager;
  /**
   * Options each run starts from, under those given to `run()`: for a replayed process, the options
   * the recorded run of the same number was given (traces/replay/), so it does what that run did.
   */
  runDefaults?: () => RunOptions;
}

const constructToken = Symbol('LLMProcess.construct');

function reportUnsettled(pid: number, unsettled: readonly UnsettledCallback[]): void {
  if (unsettled.length === 0) return;
  const names = unsettled.map((c) => `${c.callback} (${c.event}, pid ${String(c.pid)})`);
  getLogger().warn(
    `Process ${String(pid)}: run() stopped waiting for ${String(unsettled.length)} unsettled callback(s): ${names.join(', ')}`,
  );
}
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
  readonly #stepPrefix: string;
  /** The step running now (a tool call that may make children), and how many children it made. */
  #currentStep: string | undefined;
  #childrenOfStep = 0;
  #childrenOutsideSteps = 0;
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
  /** The first callback error of the run in progress, until its callbacks have settled. */
  #callbackErrors: { first?: { error: unknown } } | undefined;
  /** The parent run's record of callback errors, when a tool call of that run made this child. */
  readonly #parentCallbackErrors: { first?: { error: unknown } } | undefined;
  /** The budget of the run in progress, which children made by its tool calls spend from. */
  #currentBudget: RunBudget | undefined;
  /** The budget of the parent's run whose tool call made this child. */
  readonly #parentBudget: RunBudget | undefined;
  #closed = false;
  readonly #runDefaults: (() => RunOptions) | undefined;
  /** The options of the run in progress (a trace records them). */
  #runOptions: RunOptions | undefined;

  /** @internal Use `program.start()`. */
  constructor(token: symbol, init: ProcessInit) {
    if (token !== constructToken) {
      throw new LlmprocError(
        'INVALID_OPTION',
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
    this.#step = init.step ?? runStepDirectly;
    this.#stepPrefix = init.stepPrefix ?? '';
    this.#emitter = new CallbackEmitter(
      this,
      this.#tracker,
      init.callbacks,
      parentToolUseId,
      this.#step.isReplaying,
      (_event, error) => {
        this.#recordCallbackError(error);
      },
    );
    this.#parentRun = parent && parentToolUseId !== undefined ? parent.#currentRun : undefined;
    this.#parentCallbackErrors =
      parent && parentToolUseId !== undefined ? parent.#callbackErrors : undefined;
    this.#parentBudget =
      parent && parentToolUseId !== undefined ? parent.#currentBudget : undefined;
    this.#provider = init.provider;
    this.#runDefaults = init.runDefaults;
    this.#tools = init.tools;
    this.#owned = init.owned ?? [];
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
    // A copy: changing it must not change what the model is offered (0.9.2 returned a copy too).
    return structuredClone(this.#tools.specs());
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
  run<S extends OutputSchema>(
    input: RunInput,
    options: RunOptions & { output: S },
  ): Promise<RunResult<InferOutput<S>>>;
  run(input: RunInput, options?: RunOptions | number): Promise<RunResult>;
  async run(input: RunInput, options: RunOptions | number = {}): Promise<RunResult> {
    const isParts = Array.isArray(input);
    if (!isParts && (typeof input !== 'string' || input.trim() === '')) {
      throw new LlmprocError('EMPTY_INPUT', 'User input cannot be empty');
    }
    if (this.#closed)
      throw new LlmprocError('PROCESS_CLOSED', `Process ${String(this.pid)} is closed`);
    if (this.#running) {
      throw new LlmprocError(
        'PROCESS_BUSY',
        `Process ${String(this.pid)} is already running; await its run() before starting another`,
      );
    }
    const asked = typeof options === 'number' ? { maxIterations: options } : options;
    const opts: RunOptions = this.#runDefaults ? { ...this.#runDefaults(), ...asked } : asked;
    const maxIterations = opts.maxIterations ?? this.#config.maxIterations;
    if (!Number.isInteger(maxIterations) || maxIterations < 0) {
      throw new LlmprocError(
        'INVALID_OPTION',
        `maxIterations must be a non-negative integer; got ${String(maxIterations)}`,
      );
    }
    const output = this.#resolveOutput(opts);
    const { callbackTimeoutMs } = opts;
    if (
      callbackTimeoutMs !== undefined &&
      (typeof callbackTimeoutMs !== 'number' || !(callbackTimeoutMs >= 0))
    ) {
      throw new LlmprocError(
        'INVALID_OPTION',
        `callbackTimeoutMs must be a non-negative number of milliseconds; got ${String(callbackTimeoutMs)}`,
      );
    }
    const given = isParts ? await this.#readParts(input, opts.signal) : input;
    const budget = this.#startBudget(opts);
    const result = new RunResult(randomUUID());
    const scope = this.#emitter.scope;
    scope.runId = result.runId;
    scope.turn = 0;
    this.#currentRun = result;
    // With the output schema as run() resolved it (a zod schema converted to the JSON Schema it
    // sends), so a trace records what was sent without converting it again.
    this.#runOptions =
      output && opts.output !== undefined
        ? { ...opts, output: output.resolved.format.schema }
        : opts;
    const callbackErrors: { first?: { error: unknown } } = {};
    this.#callbackErrors = callbackErrors;
    this.#currentBudget = budget;
    this.#running = true;
    this.#tracker.beginRun({ callbackTimeoutMs });
    let failure: { error: unknown; aborted: boolean } | undefined;
    try {
      const fd = this.#fileDescriptors;
      const signals = [opts.signal, budget?.signal].filter((s) => s !== undefined);
      const page = (text: string): string => (fd ? maybePageUserInput(fd, text) : text);
      const userInput =
        typeof given === 'string'
          ? page(given)
          : given.map((block) =>
              block.type === 'text' ? { ...block, text: page(block.text) } : block,
            );
      await runLoop(this.#loopHost(), userInput, {
        maxIterations,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
        stream: opts.stream ?? this.#config.stream,
        result,
        output,
        budget,
      });
    } catch (error) {
      failure = { error, aborted: isAbort(error, opts.signal) };
    } finally {
      budget?.dispose();
    }
    try {
      // The result is finished from the conversation as the loop left it: a callback settling later
      // cannot change what this run reports.
      this.lastStopReason = result.stopReason;
      if (this.#fileDescriptors) extractReferences(this.#fileDescriptors, this.getLastMessage());
      result.finish(this.getLastMessage(), failure);
      this.#addToParentRun(result);
      scope.toolUseId = undefined;
      // Last event of the run, whatever its outcome; its async callbacks are awaited below like all.
      this.#emitter.emit('run_end', result);
    } finally {
      this.#currentRun = undefined;
      this.#runOptions = undefined;
      this.#currentBudget = undefined;
      scope.runId = undefined;
      scope.turn = undefined;
      // The run holds the process until its callbacks have settled (or it stopped waiting for them:
      // callbackTimeoutMs, abort), so a second run cannot start in between.
      result.unsettledCallbacks = await this.#tracker.endRun(opts.signal);
      this.#running = false;
      this.#callbackErrors = undefined;
      reportUnsettled(this.pid, result.unsettledCallbacks);
    }
    if (failure) throw failure.error;
    if (opts.strict === true && callbackErrors.first) throw callbackErrors.first.error;
    return result;
  }

  /**
   * A multi-part input as user blocks: files read, types sniffed, every part and the request's total
   * checked against what this process's provider takes, before anything is sent. The process counts
   * as running meanwhile, so a second run() cannot start while files are read.
   */
  async #readParts(
    parts: readonly unknown[],
    signal: AbortSignal | undefined,
  ): Promise<UserBlock[]> {
    const support =
      this.#provider.mediaSupport?.(this.#config.model, this.#config.parameters) ??
      strictestMediaSupport(this.#provider.name);
    this.#running = true;
    try {
      const blocks = await resolveInputParts(parts, support, signal);
      checkRequestMedia(this.#state, blocks, support);
      return blocks;
    } catch (error) {
      // An abort while files are read ends the run as an abort anywhere else does.
      if (signal?.aborted === true)
        throw runAborted(signal, 'The run was aborted while its input was read');
      throw error;
    } finally {
      this.#running = false;
    }
  }

  /** Remember a callback's error for a strict run, this process's and its parent's run's. */
  #recordCallbackError(error: unknown): void {
    if (this.#callbackErrors) this.#callbackErrors.first ??= { error };
    const parent = this.parent;
    const parentErrors = this.#parentCallbackErrors;
    if (parent && parentErrors && parentErrors === parent.#callbackErrors)
      parent.#recordCallbackError(error);
  }

  /**
   * The RunResult of the run in progress, updated as the run goes (its model calls, usage and cost
   * so far); undefined between runs. `run()` resolves with the same object.
   */
  get currentRun(): RunResult | undefined {
    return this.#currentRun;
  }

  /**
   * @internal The options of the run in progress, as `run()` was given them (over a replay's
   * recorded ones), an `output` schema as the JSON Schema it was resolved to; undefined between
   * runs. A trace records the ones that change what a run does.
   */
  get currentRunOptions(): Readonly<RunOptions> | undefined {
    return this.#runOptions;
  }

  /** The program's `[parameters]` table (temperature, max_tokens, ...), as validated at load. */
  get parameters(): Readonly<Record<string, unknown>> {
    return this.#config.parameters;
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
    const { model, provider, price } = this.#config;
    if (
      limits.maxCostUsd !== undefined &&
      !hasModelPrice(model, { provider, ...(price ? { price } : {}) })
    ) {
      // A cost limit on a model without a price would never stop the run: refuse it up front.
      throw new LlmprocError(
        'INVALID_OPTION',
        `maxCostUsd needs a price for model "${model}": give it one with [model] price (or price in new LLMProgram())`,
      );
    }
    return new RunBudget(limits, parent);
  }

  /** A child's run made by a tool call of its parent's run is part of what that run spent. */
  #addToParentRun(result: RunResult): void {
    const parentRun = this.#parentRun;
    if (parentRun && this.parent && parentRun === this.parent.#currentRun)
      parentRun.addUsage(result.usage, result.usage.costUsd);
  }

  /** The run's output schema, checked before any API call (a bad schema fails the run at once). */
  #resolveOutput(opts: RunOptions): { resolved: ResolvedOutput; retries: number } | undefined {
    const schema = opts.output ?? this.#config.output?.schema;
    if (schema === undefined) return undefined;
    const retries = opts.outputRetries ?? this.#config.output?.retries ?? DEFAULT_OUTPUT_RETRIES;
    if (!Number.isInteger(retries) || retries < 0) {
      throw new LlmprocError(
        'INVALID_OPTION',
        `outputRetries must be a non-negative integer; got ${String(retries)}`,
      );
    }
    return { resolved: resolveOutput(schema), retries };
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
      stepPrefix: this.#childStepPrefix(),
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
    const paged = fd
      ? maybePageToolOutput(fd, this.#tools.resolve(name)?.name ?? name, result)
      : result;
    // Last, so that whatever a tool returns, the conversation only ever holds what can be sent.
    return boundToolResult(paged, this.#config.tools.maxResultChars);
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
            new LlmprocError('INVALID_OPTION', 'This process cannot spawn children'),
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
          step: this.#step,
          stepPrefix: this.#childStepPrefix(),
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

  /**
   * A deterministic name space for a new child's steps: the step that makes it (a fork or spawn tool
   * call) plus the child's number within that step, so a recovered run matches children to journals.
   */
  #childStepPrefix(): string {
    if (this.#currentStep === undefined)
      return `${this.#stepPrefix}child-${String(this.#childrenOutsideSteps++)}/`;
    return `${this.#currentStep}/child-${String(this.#childrenOfStep++)}/`;
  }

  #loopHost(): LoopHost {
    return {
      process: this,
      config: this.#config,
      provider: this.#provider,
      tools: this.#tools,
      emitter: this.#emitter,
      scope: this.#emitter.scope,
      step: (name, fn, options) => {
        const fullName = this.#stepPrefix + name;
        return this.#step(
          fullName,
          () => {
            this.#currentStep = fullName;
            this.#childrenOfStep = 0;
            // then(done, failed) rather than finally(): finally adds a promise and two resumptions.
            return fn().then(
              (value) => {
                this.#currentStep = undefined;
                return value;
              },
              (error: unknown) => {
                this.#currentStep = undefined;
                throw error;
              },
            );
          },
          options,
        );
      },
      messageIds: this.#messageIds,
      runsChildren: (toolName) => this.#tools.resolve(toolName)?.runsChildren === true,
      getState: () => this.#state,
      setState: (state) => {
        this.#state = state;
      },
      stderrLog: () => this.#stderr,
      nextTurnNumber: () => ++this.#turnCounter,
      hooks: () => this.#hooks,
    };
  }
}

/** Whether a run's failure is its abort: the ABORTED error, or any error once its signal fired. */
function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return (error instanceof LlmprocError && error.code === 'ABORTED') || signal?.aborted === true;
}
