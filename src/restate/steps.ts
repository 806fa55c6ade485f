import * as restate from '@restatedev/restate-sdk';
import { LlmprocError } from '../index.js';
import type { StepRunner } from '../index.js';
import { fromRestateError, toRestateError } from './errors.js';

/** How Restate retries a step that failed on a transient error (see `isTerminal`). */
export interface StepRetryPolicy {
  /** Attempts per step, counting the first; then the run fails. Default: unbounded. */
  maxAttempts?: number;
  /** Delay before the first retry, in ms (Restate's default: 50). */
  initialIntervalMs?: number;
  /** Longest delay between retries, in ms (Restate's default: 10,000). */
  maxIntervalMs?: number;
}

function runOptions(retry: StepRetryPolicy): restate.RunOptions<unknown> {
  return {
    ...(retry.maxAttempts === undefined ? {} : { maxRetryAttempts: retry.maxAttempts }),
    ...(retry.initialIntervalMs === undefined
      ? {}
      : { initialRetryInterval: retry.initialIntervalMs }),
    ...(retry.maxIntervalMs === undefined ? {} : { maxRetryInterval: retry.maxIntervalMs }),
  };
}

/**
 * llmproc's step seam on Restate's journal: each model call and tool call is one `ctx.run`, so after a
 * crash its recorded result is handed back instead of calling the model or the tool again. A step that
 * runs child processes (fork, spawn) is ordinary handler code instead: `ctx.run` cannot nest, and
 * its children's steps are journaled one by one. While Restate replays the journal the process's
 * events are dropped (`isReplaying`), so callbacks see each event once per real occurrence.
 */
export function restateSteps(
  ctx: restate.ObjectContext,
  options: {
    retry?: StepRetryPolicy;
    /**
     * Aborted when Restate cancels the invocation (the service must use `explicitCancellation`):
     * pass its signal to `run()` so the in-flight model call or tool stops too.
     */
    cancel?: AbortController;
  } = {},
): StepRunner {
  // `isProcessing` is what Restate's own replay-aware logger (`ctx.console`) reads. It only gates
  // event delivery here, never control flow, which is what keeps the handler deterministic.
  const internal = ctx as unknown as restate.internal.ContextInternal;
  const retryOptions = runOptions(options.retry ?? {});
  const { cancel } = options;
  const cancelled = (): never => {
    const error = new LlmprocError('ABORTED', 'The run was cancelled through Restate');
    cancel?.abort(error);
    throw new restate.CancelledError();
  };
  const runner = async <T>(
    name: string,
    fn: () => Promise<T>,
    stepOptions?: { hasChildSteps?: boolean },
  ): Promise<T> => {
    if (stepOptions?.hasChildSteps === true) return fn();
    try {
      const step = ctx.run(
        name,
        async () => {
          try {
            return await fn();
          } catch (error) {
            throw toRestateError(error);
          }
        },
        retryOptions,
      ) as restate.RestatePromise<T>;
      if (!cancel) return await step;
      return await restate.RestatePromise.race([step, internal.cancellation().map(cancelled)]);
    } catch (error) {
      throw fromRestateError(error);
    }
  };
  return Object.assign(runner, { isReplaying: () => !internal.isProcessing() });
}
