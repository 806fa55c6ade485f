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

  constructor(
    process: LLMProcess,
    ids: ProcessIds,
    scope: EventScope,
    parentToolUseId: string | undefined,
  ) {
    this.pid = ids.pid;
    this.parentPid = ids.parentPid;
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

/** A process's ids, read once: they never change, and every event carries them. */
interface ProcessIds {
  pid: number;
  parentPid: number | undefined;
}

// Direct calls for the arities events have (one to three arguments): `apply` with an array built per
// event costs more than the rest of a delivery (bench: `npm run bench emit`).

/** A function callback: `(event, ...args, context)`. */
function callFunction(
  fn: (...params: unknown[]) => unknown,
  event: string,
  args: readonly unknown[],
  context: EventContext,
): unknown {
  switch (args.length) {
    case 1:
      return fn(event, args[0], context);
    case 2:
      return fn(event, args[0], args[1], context);
    case 3:
      return fn(event, args[0], args[1], args[2], context);
    default:
      return fn(event, ...args, context);
  }
}

/** An object callback's method: `obj[event](...args, context)`. */
function callMethod(
  fn: (...params: unknown[]) => unknown,
  self: object,
  args: readonly unknown[],
  context: EventContext,
): unknown {
  switch (args.length) {
    case 1:
      return fn.call(self, args[0], context);
    case 2:
      return fn.call(self, args[0], args[1], context);
    case 3:
      return fn.call(self, args[0], args[1], args[2], context);
    default:
      return fn.call(self, ...args, context);
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
  private ids: ProcessIds | undefined;
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
    // Read on the first event, not in the constructor: the process is still being built then.
    this.ids ??= { pid: this.owner.pid, parentPid: this.owner.parent?.pid };
    const context = new Context(this.owner, this.ids, this.scope, this.parentToolUseId);
    let failures: { error: unknown; callback: Callback }[] | undefined;
    for (const callback of callbacks) {
      if (callback === skip) continue;
      let returned: unknown;
      try {
        if (typeof callback === 'function') {
          const fn = callback as (...params: unknown[]) => unknown;
          returned = callFunction(fn, event, args, context);
        } else {
          const method = (callback as Record<string, unknown>)[event];
          if (typeof method !== 'function') continue;
          const fn = method as (...params: unknown[]) => unknown;
          returned = callMethod(fn, callback, args, context);
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

function report(event: string, error: unknown): void {
  getLogger().warn(`Error in ${event} callback: ${errorMessage(error)}`);
}

export type { CallbackFunction };
