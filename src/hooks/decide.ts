import { errorMessage, LlmprocError } from '../errors.js';
import { runAborted } from '../internal/abort.js';
import { ToolResult } from '../tools/tool-result.js';
import type { Hook, HookContext, ToolCall, ToolCallDecision } from './types.js';
import { isRecord } from '../internal/is-record.js';

/** What the hooks made of a tool call: the arguments to use, and whether the tool runs. */
export type HookVerdict =
  | { type: 'run'; args: Record<string, unknown> }
  | { type: 'deny'; args: Record<string, unknown>; reason: string }
  | { type: 'answer'; args: Record<string, unknown>; result: ToolResult };

type HookMethod = 'beforeToolCall' | 'afterToolCall';

/**
 * The error that stops a run when a hook throws, rejects or returns something it may not. When the
 * run was being aborted (a hook waiting for a person gives up on Ctrl-C), the abort is the story.
 */
export function hookFailure(
  method: HookMethod,
  call: ToolCall,
  error: unknown,
  signal?: AbortSignal,
): LlmprocError {
  if (signal?.aborted) return runAborted(signal);
  return new LlmprocError(
    'HOOK_FAILED',
    `${method} hook failed for tool '${call.toolName}': ${errorMessage(error)}`,
    { cause: error, details: { hook: method, toolName: call.toolName, toolUseId: call.toolUseId } },
  );
}

/** A hook's return value checked as a decision; plain JavaScript hooks can return anything. */
function parseDecision(value: unknown): ToolCallDecision {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    throw new TypeError(`expected undefined or { deny | args | result }, got ${typeof value}`);
  }
  const unknownKeys = Object.keys(value).filter((key) => !['deny', 'args', 'result'].includes(key));
  if (unknownKeys.length > 0) {
    throw new TypeError(
      `expected undefined or { deny | args | result }, got key ${unknownKeys.join(', ')}`,
    );
  }
  const { deny, args, result } = value;
  if (deny !== undefined && typeof deny !== 'string') {
    throw new TypeError(`"deny" must be a string (the reason), got ${typeof deny}`);
  }
  if (args !== undefined && !isRecord(args)) {
    throw new TypeError('"args" must be an object of arguments');
  }
  return {
    ...(deny !== undefined ? { deny } : {}),
    ...(args !== undefined ? { args } : {}),
    ...(result !== undefined ? { result } : {}),
  };
}

/**
 * A result a hook gave, as the model will see it. A hook's answer never stops the turn
 * (`abortExecution`): only a tool that acted on the conversation (goto) may.
 */
function toResult(value: unknown, abortExecution: boolean): ToolResult {
  if (value instanceof ToolResult)
    return new ToolResult(value.content, value.isError, abortExecution, value.images);
  return new ToolResult(value, false, abortExecution);
}

/**
 * Run every hook's `beforeToolCall` in registration order, each seeing the previous rewrite; then a
 * deny from any hook wins (the first deny's reason), else the first answer, else the tool runs.
 * Throws `HOOK_FAILED` when a hook fails: the call must not go ahead on a decision never made.
 */
export async function decideToolCall(
  hooks: readonly Hook[],
  call: ToolCall,
  context: HookContext,
): Promise<HookVerdict> {
  let args = { ...call.args };
  let denial: string | undefined;
  let answer: { value: unknown } | undefined;
  for (const hook of hooks) {
    if (!hook.beforeToolCall) continue;
    let decision: ToolCallDecision;
    try {
      // Each hook gets its own copy: one hook mutating `call.args` must not bypass another's view.
      const returned: unknown = await hook.beforeToolCall(
        { toolName: call.toolName, toolUseId: call.toolUseId, args: structuredClone(args) },
        context,
      );
      decision = parseDecision(returned);
    } catch (error) {
      throw hookFailure('beforeToolCall', { ...call, args }, error, context.signal);
    }
    if (decision.args) args = { ...decision.args };
    if (decision.deny !== undefined) denial ??= decision.deny;
    if (decision.result !== undefined) answer ??= { value: decision.result };
  }
  if (denial !== undefined) return { type: 'deny', args, reason: denial };
  if (answer) return { type: 'answer', args, result: toResult(answer.value, false) };
  return { type: 'run', args };
}

/**
 * Run every hook's `afterToolCall` in registration order; a replacement feeds the next hook. The
 * tool's own `abortExecution` is kept: a tool that stopped the turn has already acted.
 */
export async function reviewToolResult(
  hooks: readonly Hook[],
  call: ToolCall,
  result: ToolResult,
  context: HookContext,
): Promise<ToolResult> {
  let current = result;
  for (const hook of hooks) {
    if (!hook.afterToolCall) continue;
    let replacement: unknown;
    try {
      replacement = await hook.afterToolCall(
        { toolName: call.toolName, toolUseId: call.toolUseId, args: structuredClone(call.args) },
        current,
        context,
      );
    } catch (error) {
      throw hookFailure('afterToolCall', call, error, context.signal);
    }
    if (replacement !== undefined) current = toResult(replacement, result.abortExecution);
  }
  return current;
}

/** The model-facing result of a denied call. */
export function denialResult(reason: string): ToolResult {
  return ToolResult.fromError(`Tool call denied: ${reason}`);
}

/** Check a hook at registration, so a typo fails at `addHook`, not at the first tool call. */
export function checkHook(hook: unknown): Hook {
  if (typeof hook !== 'object' || hook === null) {
    throw new LlmprocError('HOOK_INVALID', `addHook expects an object, got ${typeof hook}`);
  }
  const { beforeToolCall, afterToolCall } = hook as Record<string, unknown>;
  const isOptionalFunction = (value: unknown): boolean =>
    value === undefined || typeof value === 'function';
  if (
    !isOptionalFunction(beforeToolCall) ||
    !isOptionalFunction(afterToolCall) ||
    (beforeToolCall === undefined && afterToolCall === undefined)
  ) {
    throw new LlmprocError(
      'HOOK_INVALID',
      'addHook expects an object with a beforeToolCall and/or afterToolCall method',
    );
  }
  return hook;
}
