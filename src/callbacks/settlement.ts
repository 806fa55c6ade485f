import { setTimeout as sleep } from 'node:timers/promises';

/** Why a run's internal wait is stopped once it is over (never shown: only ends listeners). */
const RUN_ENDED = 'run ended';

/** An async callback that had not settled when its run stopped waiting for it. */
export interface UnsettledCallback {
  /** The event it was called for, e.g. `tool_end`. */
  event: string;
  /** The function's name, or `Class.method` for an object callback ("anonymous" when nameless). */
  callback: string;
  /** The process whose event it was (a child's pid for callbacks inherited by a fork or spawn). */
  pid: number;
}

/** The promises of one run, and how long that run waits for them. */
interface RunSettlement {
  readonly pending: Map<Promise<void>, UnsettledCallback>;
  readonly timeoutMs: number | undefined;
}

/**
 * Tracks the promises that async callbacks return, so that `run()` resolves only once every callback
 * started during the run has settled (delivery rule 2). A child process forwards what it tracks to
 * its parent while the parent is running, so a parent's run also waits for its forks' callbacks.
 *
 * Each run has its own set: a run that stopped waiting (its `callbackTimeoutMs` passed, or it was
 * aborted) leaves its unsettled promises behind, and the next run never waits for them.
 */
export class SettlementTracker {
  #current: RunSettlement | undefined;

  constructor(private readonly parent?: SettlementTracker) {}

  /**
   * Track a promise that never rejects (the emitter has already attached the error handler). Only
   * promises started during a run are waited for: one started between runs must not delay the next.
   */
  track(promise: Promise<void>, info: UnsettledCallback): void {
    if (this.parent?.isRunning()) this.parent.track(promise, info);
    const run = this.#current;
    if (!run) return;
    run.pending.set(promise, info);
    void promise.then(() => run.pending.delete(promise)); // never rejects: see emitter
  }

  isRunning(): boolean {
    return this.#current !== undefined;
  }

  /**
   * Start tracking a run. Without its own `callbackTimeoutMs`, a child's run made during its parent's
   * run (a fork or spawn tool call) waits as long as the parent's run would.
   */
  beginRun(options: { callbackTimeoutMs?: number | undefined } = {}): void {
    const parentRun = this.parent ? this.parent.#current : undefined;
    const timeoutMs = options.callbackTimeoutMs ?? parentRun?.timeoutMs;
    this.#current = { pending: new Map(), timeoutMs };
  }

  /**
   * Wait until nothing is pending, including promises tracked while waiting, then end the run. Stops
   * waiting when the run's timeout passes or `signal` aborts, and returns the callbacks still pending
   * then (empty when all settled). Never throws.
   */
  async endRun(signal?: AbortSignal): Promise<UnsettledCallback[]> {
    const run = this.#current;
    if (!run) return [];
    // Nothing pending (the common case: sync callbacks only) is settled already; the signals and
    // timer below cost more than a whole turn of the loop's own work (AbortController.abort builds
    // a DOMException with its stack trace).
    if (run.pending.size === 0) {
      this.#current = undefined;
      return [];
    }
    const stop = new AbortController();
    const giveUp = signal ? AbortSignal.any([stop.signal, signal]) : stop.signal;
    // A plain (ref'd) timer, not AbortSignal.timeout: that one is unref'd, and a script whose only
    // pending work is this wait would exit with run() never settled.
    const timer =
      run.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stop.abort();
          }, run.timeoutMs);
    const gaveUp = new Promise<void>((resolve) => {
      if (giveUp.aborted) resolve();
      giveUp.addEventListener('abort', () => {
        resolve();
      });
    });
    try {
      while (run.pending.size > 0 && !giveUp.aborted) {
        await Promise.race([Promise.all(run.pending.keys()), gaveUp]);
      }
      // Let callbacks that settled at the very moment of giving up leave the set first.
      if (run.pending.size > 0) await sleep(0);
      return [...run.pending.values()];
    } finally {
      clearTimeout(timer);
      // Releases the listeners AbortSignal.any put on `signal`. With a reason: without one, abort()
      // builds a DOMException and its stack trace, for a signal nobody reads the reason of.
      stop.abort(RUN_ENDED);
      this.#current = undefined;
    }
  }
}
