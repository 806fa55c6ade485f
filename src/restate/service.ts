import * as restate from '@restatedev/restate-sdk';
import { type Callback, type LLMProgram, type Message, type RunResultJSON } from '../index.js';
import { fromRestateError, toRestateError } from './errors.js';
import { restateSteps, type StepRetryPolicy } from './steps.js';

/** The body of a `run` call: `{ "input": "..." }`, optionally with the run's limits. */
export interface DurableRunRequest {
  input: string;
  /** Most model calls of this run (default: the program's). */
  maxIterations?: number;
  /** Wall-clock limit of the run in ms, counted from its first start (not from a resume). */
  timeoutMs?: number;
}

export interface RestateServiceOptions {
  /** The Restate service name (default: the program's display name). */
  name?: string;
  /**
   * Callbacks registered on every process the service starts. Each sees an event once per real
   * occurrence: events of steps replayed from the journal are not emitted again (docs/durable.md).
   */
  callbacks?: readonly Callback[];
  /** Retries of a step that failed on a transient error (a 429, a 5xx, a lost connection). */
  stepRetry?: StepRetryPolicy;
  /** Restate's retry policy for the invocation itself (e.g. after the worker died). */
  retryPolicy?: restate.RetryPolicy;
}

const conversationKey = 'conversation';

function parseRequest(body: unknown): DurableRunRequest {
  const fail = (message: string): never => {
    throw new restate.TerminalError(`llmproc run request: ${message}`, { errorCode: 400 });
  };
  if (typeof body !== 'object' || body === null) return fail('expected a JSON object');
  const { input, maxIterations, timeoutMs } = body as Record<string, unknown>;
  if (typeof input !== 'string') return fail('"input" must be a string');
  if (maxIterations !== undefined && !Number.isInteger(maxIterations))
    return fail('"maxIterations" must be an integer');
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || timeoutMs <= 0))
    return fail('"timeoutMs" must be a positive number');
  return {
    input,
    ...(maxIterations === undefined ? {} : { maxIterations: maxIterations as number }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/**
 * The run's abort signal: Restate cancellation of the invocation (`cancel`, aborted by the steps) and
 * the optional time limit, measured from the run's journaled start so a resumed run keeps its
 * deadline.
 */
async function runSignal(
  ctx: restate.ObjectContext,
  cancel: AbortController,
  timeoutMs: number | undefined,
): Promise<AbortSignal> {
  if (timeoutMs === undefined) return cancel.signal;
  const startedAt = await ctx.date.now();
  const remaining = Math.max(0, startedAt + timeoutMs - Date.now());
  return AbortSignal.any([cancel.signal, AbortSignal.timeout(remaining)]);
}

/**
 * A Restate virtual object that runs `program` durably. Each object key is one durable process
 * holding its conversation in Restate's state; its exclusive handler `run` takes `{ input }` and
 * returns the RunResult's JSON, and a later `run` on the same key continues the conversation. Every
 * model call and tool call is a journaled step, so a worker that dies mid-run is replaced without
 * repeating finished steps. The shared handler `getState` returns the conversation.
 *
 * @example
 * ```ts
 * import * as http2 from 'node:http2';
 * import * as restate from '@restatedev/restate-sdk';
 * import { LLMProgram } from 'llmproc';
 * import { restateService } from 'llmproc/restate';
 *
 * const service = restateService(LLMProgram.fromToml('agent.toml'), { name: 'agent' });
 * http2.createServer(restate.createEndpointHandler({ services: [service] })).listen(9080);
 * ```
 */
export function restateService(program: LLMProgram, options: RestateServiceOptions = {}) {
  const callbacks = options.callbacks ?? [];
  return restate.object({
    name: options.name ?? program.displayName,
    handlers: {
      run: async (ctx: restate.ObjectContext, body: DurableRunRequest): Promise<RunResultJSON> => {
        const request = parseRequest(body);
        const state = (await ctx.get<Message[]>(conversationKey)) ?? [];
        const cancel = new AbortController();
        const signal = await runSignal(ctx, cancel, request.timeoutMs);
        const step = restateSteps(ctx, {
          cancel,
          ...(options.stepRetry ? { retry: options.stepRetry } : {}),
        });
        const proc = await program.start({ state, step });
        for (const callback of callbacks) proc.addCallback(callback);
        try {
          const result = await proc.run(request.input, {
            signal,
            ...(request.maxIterations === undefined
              ? {}
              : { maxIterations: request.maxIterations }),
          });
          ctx.set(conversationKey, proc.getState());
          return result.toJSON();
        } catch (error) {
          // A failed run keeps the turns it committed, as in-process.
          ctx.set(conversationKey, proc.getState());
          throw toRestateError(fromRestateError(error));
        } finally {
          await proc.close();
        }
      },
      getState: restate.handlers.object.shared(
        async (ctx: restate.ObjectSharedContext): Promise<Message[]> =>
          (await ctx.get<Message[]>(conversationKey)) ?? [],
      ),
    },
    options: {
      explicitCancellation: true,
      ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    },
  });
}
