import { errorMessage } from '../errors.js';
import { getLogger } from '../internal/logger.js';
import type { LLMProcess } from '../process/process.js';
import type { Callback, CallbackFunction, EventArgs, EventContext } from './events.js';
import type { SettlementTracker } from './settlement.js';

let nextSeq = 1;

class Context implements EventContext {
  readonly pid: number;
  readonly parentPid: number | undefined;
  readonly seq: number;
  readonly time: number;
  // A private field, not an own enumerable property: JSON.stringify(context) must not walk the process.
  readonly #process: LLMProcess;

  constructor(process: LLMProcess) {
    this.pid = process.pid;
    this.parentPid = process.parent?.pid;
    this.seq = nextSeq++;
    this.time = performance.timeOrigin + performance.now();
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
export class CallbackEmitter {
  private callbacks: Callback[] = [];

  constructor(
    private readonly owner: LLMProcess,
    private readonly tracker: SettlementTracker,
    inherited: readonly Callback[] = [],
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
    const callbacks = this.callbacks;
    if (callbacks.length === 0) return;
    const context = new Context(this.owner);
    for (const callback of callbacks) this.deliver(callback, event, args, context);
  }

  private deliver(
    callback: Callback,
    event: keyof EventArgs,
    args: readonly unknown[],
    context: EventContext,
  ): void {
    let returned: unknown;
    try {
      if (typeof callback === 'function') {
        returned = (callback as (...params: unknown[]) => unknown)(event, ...args, context);
      } else {
        const method = (callback as Record<string, unknown>)[event];
        if (typeof method !== 'function') return;
        returned = (method as (...params: unknown[]) => unknown).call(callback, ...args, context);
      }
    } catch (error) {
      report(event, error);
      return;
    }
    if (isThenable(returned)) {
      this.tracker.track(
        Promise.resolve(returned).then(
          () => undefined,
          (error: unknown) => { report(event, error); },
        ),
      );
    }
  }
}

function report(event: string, error: unknown): void {
  getLogger().warn(`Error in ${event} callback: ${errorMessage(error)}`);
}

export type { CallbackFunction };
