import type { UnsettledCallback } from '../callbacks/settlement.js';
import { LlmprocError } from '../errors.js';
import { emptyUsage, type Usage } from '../conversation/usage.js';

/**
 * How a run ended. `completed`: the model stopped calling tools (or a tool such as `goto` ended the
 * run); `max_iterations`: it used all its model calls; `aborted`: its signal fired; `error`: a model
 * call or something else failed; `budget`: it reached one of its budgets.
 */
export type RunStatus = 'completed' | 'max_iterations' | 'aborted' | 'error' | 'budget';

/** Why a run failed, as plain data (the thrown error itself is what `run()` rejects with). */
export interface RunError {
  name: string;
  message: string;
  /** The {@link LlmprocError} code, when the error is one. */
  code?: string;
}

/**
 * What a run spent: tokens, and `costUsd`, the cost in USD of its model calls and of its children's
 * runs, or null when one of them was made with a model that has no price (an unknown cost is not 0).
 */
export interface RunUsage extends Usage {
  costUsd: number | null;
}

/** One model call of a run. `request` and `response` are the objects the callbacks saw. */
export interface ApiCallInfo {
  model: string;
  id: string | null;
  stopReason: string | null;
  usage: Usage;
  /** What the call cost in USD, from the model's price; null when the model has no price. */
  costUsd: number | null;
  request: Record<string, unknown>;
  response: unknown;
}

/** How hooks decided a tool call; absent when the tool ran as the model asked (or as rewritten). */
export interface ToolCallMark {
  /** `denied`: a hook refused the call; `answered`: a hook gave the result and the tool did not run. */
  decision?: 'denied' | 'answered';
  /** The first denying hook's reason. */
  denyReason?: string;
}

export interface ToolCallRecord extends ToolCallMark {
  toolName: string;
  /** The arguments actually used: the model's, or the hooks' rewrite. */
  args: Record<string, unknown>;
}

/** JSON form of a RunResult: the figures, without the raw request and response objects. */
export interface RunResultJSON {
  lastMessage: string;
  apiCalls: number;
  apiCallInfos: Omit<ApiCallInfo, 'request' | 'response'>[];
  toolCalls: ToolCallRecord[];
  usage: RunUsage & { totalTokens: number };
  durationMs: number;
  stopReason: string | null;
  status: RunStatus;
  error?: RunError;
  runId: string;
  startTime: number;
  endTime: number | null;
  /** The structured answer, present when the run asked for one and got it. */
  output?: unknown;
  /** Present only when some callback had not settled. */
  unsettledCallbacks?: UnsettledCallback[];
}

/**
 * What one `run()` did: its model calls, tool calls, token usage, time and why it stopped. `T` is the
 * type of the structured answer (`output`), inferred from the zod schema given to `run()`.
 */
// T appears once, on `output`: that is the point, `run()` fills it from the schema's inferred type.

export class RunResult<T = unknown> {
  /** The id in every `EventContext.runId` of this run. */
  readonly runId: string;
  lastMessage = '';
  /**
   * The final answer parsed and validated against the run's `output` schema; `undefined` for runs
   * without one (and for runs that stopped before a final answer, e.g. at max_iterations).
   */
  output: T | undefined = undefined;
  readonly apiCallInfos: ApiCallInfo[] = [];
  readonly toolCalls: ToolCallRecord[] = [];
  readonly usage: RunUsage = { ...emptyUsage(), costUsd: 0 };
  /** The provider's stop reason of the last call (`end_turn`, `tool_use`, ...) or `max_iterations`. */
  stopReason: string | null = null;
  /**
   * How the run ended; `completed` while it goes on. Set before `run_end` is emitted, so a `run_end`
   * callback sees the final value.
   */
  status: RunStatus = 'completed';
  /** Why the run failed: set when `status` is `error` or `aborted` (the runs that reject). */
  error: RunError | undefined = undefined;
  /** Milliseconds since the epoch. */
  readonly startTime: number = Date.now();
  endTime: number | null = null;
  /**
   * Async callbacks the run stopped waiting for: its `callbackTimeoutMs` passed, or it was aborted.
   * Empty when every callback settled in time.
   */
  unsettledCallbacks: UnsettledCallback[] = [];
  private readonly startedAt = performance.now();
  private finishedAt: number | null = null;

  /** @internal */
  constructor(runId: string) {
    this.runId = runId;
  }

  get apiCalls(): number {
    return this.apiCallInfos.length;
  }

  get totalTokens(): number {
    return this.usage.inputTokens + this.usage.outputTokens;
  }

  /** Whole milliseconds from start to finish (or to now while the run goes on). */
  get durationMs(): number {
    return Math.round((this.finishedAt ?? performance.now()) - this.startedAt);
  }

  /** @internal */
  addApiCall(info: ApiCallInfo): void {
    this.apiCallInfos.push(info);
    this.addUsage(info.usage, info.costUsd);
  }

  /** @internal Records a call; the entry is returned so the loop can complete it when it ends. */
  addToolCall(
    toolName: string,
    args: Record<string, unknown>,
    mark: ToolCallMark = {},
  ): ToolCallRecord {
    const record: ToolCallRecord = { toolName, args, ...mark };
    this.toolCalls.push(record);
    return record;
  }

  /**
   * @internal Add tokens spent by this run: its own model calls, and the runs of children made by
   * its tool calls (fork and spawn), which are part of what the run cost.
   */
  addUsage(usage: Usage, costUsd: number | null): void {
    this.usage.costUsd = addCost(this.usage.costUsd, costUsd);
    this.usage.inputTokens += usage.inputTokens;
    this.usage.outputTokens += usage.outputTokens;
    this.usage.cacheReadTokens += usage.cacheReadTokens;
    this.usage.cacheWriteTokens += usage.cacheWriteTokens;
    this.usage.reasoningTokens += usage.reasoningTokens;
  }

  /**
   * @internal Close the run: its final answer, and the error it failed with (`aborted` when that is
   * an abort, else `error`). Without an error, a run that ran out of model calls is `max_iterations`,
   * and one whose status was already set (a budget) keeps it.
   */
  finish(lastMessage: string, failure?: { error: unknown; aborted: boolean }): void {
    this.lastMessage = lastMessage;
    this.finishedAt = performance.now();
    this.endTime = Date.now();
    if (failure) {
      this.status = failure.aborted ? 'aborted' : 'error';
      this.error = describeError(failure.error);
    } else if (this.status === 'completed' && this.stopReason === 'max_iterations') {
      this.status = 'max_iterations';
    }
  }

  toJSON(): RunResultJSON {
    return {
      lastMessage: this.lastMessage,
      apiCalls: this.apiCalls,
      apiCallInfos: this.apiCallInfos.map(({ model, id, stopReason, usage, costUsd }) => ({
        model,
        id,
        stopReason,
        usage,
        costUsd,
      })),
      toolCalls: this.toolCalls,
      usage: { ...this.usage, totalTokens: this.totalTokens },
      durationMs: this.durationMs,
      stopReason: this.stopReason,
      status: this.status,
      ...(this.error ? { error: this.error } : {}),
      runId: this.runId,
      startTime: this.startTime,
      endTime: this.endTime,
      ...(this.output === undefined ? {} : { output: this.output }),
      ...(this.unsettledCallbacks.length > 0
        ? { unsettledCallbacks: this.unsettledCallbacks }
        : {}),
    };
  }

  toString(): string {
    const state = this.endTime === null ? 'in progress' : this.status;
    return `RunResult(${state}, apiCalls=${String(this.apiCalls)}, toolCalls=${String(this.toolCalls.length)}, inputTokens=${String(this.usage.inputTokens)}, outputTokens=${String(this.usage.outputTokens)}, duration=${String(this.durationMs)}ms)`;
  }
}

function describeError(error: unknown): RunError {
  if (error instanceof Error) {
    const code = error instanceof LlmprocError ? error.code : undefined;
    return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }) };
  }
  return { name: 'Error', message: String(error) };
}

/** A sum of costs that stays null once one part is unknown, rounded to 1e-8 USD (no float dust). */
function addCost(total: number | null, cost: number | null): number | null {
  if (total === null || cost === null) return null;
  return Math.round((total + cost) * 1e8) / 1e8;
}
