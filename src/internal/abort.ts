import { LlmprocError } from '../errors.js';

/**
 * What a cancelled operation rejects with: the signal's reason when it is an Error (the
 * `TimeoutError` of `AbortSignal.timeout`, or whatever `abort(error)` was given), else an
 * `LlmprocError` with code `ABORTED` that keeps the reason as its cause.
 */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new LlmprocError('ABORTED', 'The operation was aborted', { cause: signal.reason });
}

/**
 * What a run rejects with when its caller aborts it: always `ABORTED` (whatever the signal's reason
 * is: a run's abort is the caller's story, not the reason's), with the reason as its cause.
 */
export function runAborted(signal: AbortSignal, message = 'The run was aborted'): LlmprocError {
  return new LlmprocError('ABORTED', message, { cause: signal.reason });
}

/**
 * Settle with `promise`, or reject with {@link abortReason} as soon as `signal` aborts, for work
 * that does not watch the signal itself (some SDK calls, an HTTP connect). The listener is removed
 * either way, and the losing promise's rejection is handled, so neither leaks.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  toError: (signal: AbortSignal) => Error = abortReason,
): Promise<T> {
  // Without a signal the promise itself: no async layer (a promise and a resumption) per call.
  return signal === undefined ? promise : raceAbort(promise, signal, toError);
}

async function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  toError: (signal: AbortSignal) => Error,
): Promise<T> {
  promise.catch(() => undefined);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      reject(toError(signal));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Resolve after `ms`, or reject with {@link abortReason} as soon as `signal` fires (timer cleared). */
export function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
