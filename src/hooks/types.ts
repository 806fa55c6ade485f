import type { ToolResult } from '../tools/tool-result.js';

/** One tool call as a hook sees it. */
export interface ToolCall {
  /** The name the model called (an alias when the program gives the tool one). */
  readonly toolName: string;
  /** The arguments: the model's, or the previous hook's rewrite. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The id of the model's tool call. */
  readonly toolUseId: string;
}

/** Where a tool call happens; a plain object, so hooks can log it or send it to a person. */
export interface HookContext {
  /** The process whose model made the call (a child's pid for calls inside fork or spawn). */
  readonly pid: number;
  readonly parentPid: number | undefined;
  /** The process's turn number (1 for its first model call). */
  readonly turn: number;
  /** The run's signal: aborted when the run is cancelled or its time budget runs out. */
  readonly signal: AbortSignal | undefined;
}

/**
 * What `beforeToolCall` may return: nothing (allow as is), `{ deny: reason }`, `{ args }` (a
 * rewrite the next hook sees and the tool runs with) or `{ result }` (answer the call without running
 * the tool: a ToolResult, or any value, which becomes a success result as a tool's return value does).
 */
export interface ToolCallDecision {
  deny?: string;
  args?: Record<string, unknown>;
  result?: unknown;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * A hook decides about tool calls; callbacks only watch. Both methods are optional and may be async.
 * A hook that throws or rejects stops the run with an `HOOK_FAILED` error (fail closed).
 *
 * @example
 * ```ts
 * import type { Hook } from 'llmproc';
 * const readOnly: Hook = {
 *   beforeToolCall(call) {
 *     if (call.toolName === 'write_file') return { deny: 'writes are not allowed here' };
 *     return undefined;
 *   },
 * };
 * ```
 */
export interface Hook {
  beforeToolCall?(
    call: ToolCall,
    context: HookContext,
    // `void` too: a hook written `(call) => console.log(call)` only watches, and must type-check.
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
  ): MaybePromise<ToolCallDecision | undefined | void>;
  /** Return a ToolResult (or a value, a success result) to replace what the model will see. */
  afterToolCall?(call: ToolCall, result: ToolResult, context: HookContext): unknown;
}
