import { errorMessage } from '../errors.js';
import { getLogger } from '../internal/logger.js';
import type { Callback, CallbackFunction, EventArgs, EventContext } from './events.js';
import type { SettlementTracker } from './settlement.js';

/** The emitting process, named through events.ts: the seed's one cycle (events name the process). */
type LLMProcess = EventContext['process'];

let nextSeq = 1;
// Looked up once: `performance.timeOrigin` and the unbound `performance.now` go through receiver
// validation on every access, which costs more than the clock read itself.
const timeOrigin = performance.timeOrigin;
const now = performance.now.bind(performance);

/**
 * @internal Where in a run a process's events are emitted. The loop keeps it current (plain field
 * writes, so keeping it costs nothing when no callback listens); each event copies it.
 */
export interface EventScope {
  runId: string | undefined;
  turn: number | undefined;
  toolUseId: string | undefined;
}

class Context implements EventContext {
  readonly pid: number;
  readonly parentPid: number | undefined;
  readonly seq: number;
  readonly time: number;
  readonly runId: string | undefined;
  readonly turn: number | undefined;
  readonly toolUseId: string | undefined;
  readonly parentToolUseId: string | undefined;
  // A private field, not an own enumerable property: JSON.stringify(context) must not walk the process.
  readonly #process: LLMProcess;

  constructor(process: LLMProcess, scope: EventScope, parentToolUseId: string | undefined) {
    this.pid = process.pid;
    this.parentPid = process.parent?.pid;
    this.seq = nextSeq++;
    this.time = timeOrigin + now();
    this.runId = scope.runId;
    this.turn = scope.turn;
    this.toolUseId = scope.toolUseId;
    this.parentToolUseId = parentToolUseId;
    this.#process = process;
  }

  get process(): LLMProcess {
    return this.#process;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Holds one process's callbacks and delivers events to them: in registration order, synchronously,
 * each isolated from the others' failures, async ones tracked for settlement.
 */
/** @internal Told of every callback failure (the process records them for strict runs). */
export type CallbackErrorSink = (eventName: string, error: unknown) => void;

export class CallbackEmitter {
  private callbacks: Callback[] = [];
  /** Where the next events happen; see {@link EventScope}. */
  readonly scope: EventScope = { runId: undefined, turn: undefined, toolUseId: undefined };

  constructor(
    private readonly owner: LLMProcess,
    private readonly tracker: SettlementTracker,
    inherited: readonly Callback[] = [],
    /** The parent's tool call that made this process, stamped on all its events. */
    private readonly parentToolUseId?: string,
    /** While it returns true (a durable run replaying its journal) events are dropped. */
    private readonly isReplaying?: () => boolean,
    private readonly onError?: CallbackErrorSink,
  ) {
    this.callbacks = [...inherited];
  }

  get size(): number {
    return this.callbacks.length;
  }

  list(): Callback[] {
    return [...this.callbacks];
  }

  add(callback: Callback): void {
    // Plain JavaScript callers can pass anything; fail at registration, not at the first event.
    const value: unknown = callback;
    if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) {
      throw new TypeError(`addCallback expects a function or an object, got ${typeof value}`);
    }
    // Copy on write: an emit in progress keeps iterating the list it started with.
    this.callbacks = [...this.callbacks, callback];
  }

  remove(callback: Callback): void {
    const index = this.callbacks.indexOf(callback);
    if (index === -1) return;
    this.callbacks = this.callbacks.filter((_, i) => i !== index);
  }

  emit<E extends keyof EventArgs>(event: E, ...args: EventArgs[E]): void {
    if (this.callbacks.length === 0) return;
    this.emitArgs(event, args);
  }

  /** `emit` with the arguments already in an array (no second rest/spread on the hot path). */
  emitArgs<E extends keyof EventArgs>(event: E, args: EventArgs[E]): void {
    this.deliver(event, args, undefined);
  }

  /** Deliver an event to every callback but `skip` (the one whose failure a callback_error reports). */
  private deliver<E extends keyof EventArgs>(
    event: E,
    args: EventArgs[E],
    skip: Callback | undefined,
  ): void {
    const callbacks = this.callbacks;
    if (callbacks.length === 0 || this.isReplaying?.() === true) return;
    const context = new Context(this.owner, this.scope, this.parentToolUseId);
    // Built once per event and passed with apply: spreading arguments into each call costs several
    // times a plain call in V8, and this runs for every event of every run.
    let methodArgs: unknown[] | undefined;
    let functionArgs: unknown[] | undefined;
    let failures: { error: unknown; callback: Callback }[] | undefined;
    for (const callback of callbacks) {
      if (callback === skip) continue;
      let returned: unknown;
      try {
        if (typeof callback === 'function') {
          functionArgs ??= withContext([event], args, context);
          // eslint-disable-next-line prefer-spread -- apply is several times faster here (see bench)
          returned = (callback as (...params: unknown[]) => unknown).apply(undefined, functionArgs);
        } else {
          const method = (callback as Record<string, unknown>)[event];
          if (typeof method !== 'function') continue;
          methodArgs ??= withContext([], args, context);
          returned = (method as (...params: unknown[]) => unknown).apply(callback, methodArgs);
        }
      } catch (error) {
        (failures ??= []).push({ error, callback });
        continue;
      }
      if (isThenable(returned)) this.track(event, returned, callback);
    }
    // Reported once every callback has had the event, so callback_error never overtakes it.
    if (failures) for (const { error, callback } of failures) this.fail(event, error, callback);
  }

  private track(event: string, returned: PromiseLike<unknown>, callback: Callback): void {
    this.tracker.track(
      Promise.resolve(returned).then(
        () => undefined,
        (error: unknown) => {
          this.fail(event, error, callback);
        },
      ),
      { event, callback: callbackName(callback, event), pid: this.owner.pid },
    );
  }

  /**
   * A callback threw or rejected: log it, tell the process (strict runs), and deliver
   * `callback_error` to the other callbacks, but never for a failing `callback_error` callback
   * itself, so a broken error handler cannot loop.
   */
  private fail(event: string, error: unknown, failed: Callback): void {
    report(event, error);
    this.onError?.(event, error);
    if (event === 'callback_error') return;
    this.deliver('callback_error', [event, error], failed);
  }
}

/** How a callback is named in reports: its function name, or `Class.event` for an object's method. */
function callbackName(callback: Callback, event: string): string {
  if (typeof callback === 'function') return callback.name === '' ? 'anonymous' : callback.name;
  // An object made by Object.create(null) has no constructor.
  const owner: unknown = (callback as { constructor?: { name?: unknown } }).constructor?.name;
  return `${typeof owner === 'string' && owner !== '' ? owner : 'anonymous'}.${event}`;
}

function withContext(head: unknown[], args: readonly unknown[], context: EventContext): unknown[] {
  for (const arg of args) head.push(arg);
  head.push(context);
  return head;
}

function report(event: string, error: unknown): void {
  getLogger().warn(`Error in ${event} callback: ${errorMessage(error)}`);
}

export type { CallbackFunction };
