import type { LLMProcess } from '../process/process.js';
import type { ToolResultBlock } from '../conversation/messages.js';
import type { RunResult } from '../process/run-result.js';
import type { ToolResult } from '../tools/tool-result.js';

/** The event names. Values keep the original's spelling; object callbacks use them as method names. */
export const CallbackEvent = {
  TOOL_START: 'tool_start',
  TOOL_END: 'tool_end',
  RESPONSE: 'response',
  API_REQUEST: 'api_request',
  API_RESPONSE: 'api_response',
  TURN_START: 'turn_start',
  TURN_END: 'turn_end',
  STDERR_WRITE: 'stderr_write',
  TEXT_DELTA: 'text_delta',
  RUN_END: 'run_end',
  CALLBACK_ERROR: 'callback_error',
} as const;
export type CallbackEvent = (typeof CallbackEvent)[keyof typeof CallbackEvent];

/**
 * The positional arguments of each event, exactly as the seed gives them. New per-event data goes into
 * {@link EventContext}, never into a new position, so callbacks written today keep working.
 */
export interface EventArgs {
  tool_start: [toolName: string, toolArgs: Record<string, unknown>];
  tool_end: [toolName: string, result: ToolResult];
  response: [text: string];
  api_request: [payload: Record<string, unknown>];
  api_response: [response: unknown];
  turn_start: [process: LLMProcess];
  turn_end: [process: LLMProcess, response: unknown, toolResults: ToolResultBlock[]];
  stderr_write: [text: string];
  text_delta: [delta: string];
  run_end: [result: RunResult];
  callback_error: [eventName: string, error: unknown];
}

/**
 * Who emitted an event, when, and where in a run. `seq` increases across every process in this Node
 * process, so events of a parent and its children can be put in order. `process` is non-enumerable:
 * the context serializes with `JSON.stringify` without dragging the process (and its cycles) along;
 * fields that are `undefined` are left out of the JSON.
 */
export interface EventContext {
  readonly pid: number;
  readonly parentPid: number | undefined;
  readonly seq: number;
  /** Milliseconds since the epoch, with sub-millisecond precision. */
  readonly time: number;
  /** The `run()` the event belongs to (a fresh id per run); `undefined` for events between runs. */
  readonly runId: string | undefined;
  /**
   * The run's turn (1 for its first model call, 2 for the next, ...); `run_end` carries the last
   * turn, 0 when the run made no model call. `undefined` for events between runs.
   */
  readonly turn: number | undefined;
  /**
   * The id of the model's tool call the event happens inside: `tool_start`, `tool_end`, what the
   * tool causes (`stderr_write`, ...). `undefined` outside tool calls.
   */
  readonly toolUseId: string | undefined;
  /**
   * For a child made inside a tool call of its parent (the `fork` and `spawn` tools, or
   * `forkProcess()` called by a tool): the id of that call, on every event of the child. With
   * `parentPid` it names the parent's tool call the child's run belongs to.
   */
  readonly parentToolUseId: string | undefined;
  readonly process: LLMProcess;
}

/** The parameters of a function callback: a union of tuples, so checking `event` narrows `args`. */
export type CallbackParams = {
  [E in keyof EventArgs]: [event: E, ...args: [...EventArgs[E], EventContext]];
}[keyof EventArgs];

/** A function callback: called with the event name, the event's arguments and an EventContext. */
export type CallbackFunction = (...params: CallbackParams) => unknown;

/**
 * An object callback: any object with methods named after events. Every method is optional; an
 * object without a method for an event is not called for it. Methods may be sync or async.
 */
export interface Callbacks {
  tool_start?(toolName: string, toolArgs: Record<string, unknown>, context: EventContext): unknown;
  tool_end?(toolName: string, result: ToolResult, context: EventContext): unknown;
  response?(text: string, context: EventContext): unknown;
  api_request?(payload: Record<string, unknown>, context: EventContext): unknown;
  api_response?(response: unknown, context: EventContext): unknown;
  turn_start?(process: LLMProcess, context: EventContext): unknown;
  turn_end?(
    process: LLMProcess,
    response: unknown,
    toolResults: ToolResultBlock[],
    context: EventContext,
  ): unknown;
  stderr_write?(text: string, context: EventContext): unknown;
  text_delta?(delta: string, context: EventContext): unknown;
  run_end?(result: RunResult, context: EventContext): unknown;
  callback_error?(eventName: string, error: unknown, context: EventContext): unknown;
}

/**
 * A function callback that takes fewer arguments than an event carries, or types them loosely, e.g.
 * `(event) => log(event)`. TypeScript cannot match such a function against the union of tuples, so
 * `addCallback` has a second overload for it.
 */
export type LooseCallbackFunction = (event: CallbackEvent, ...args: never[]) => unknown;

export type Callback = CallbackFunction | Callbacks | LooseCallbackFunction;

const eventNames = new Set<string>(Object.values(CallbackEvent));

/** Whether a string is one of the event names. */
export function isCallbackEvent(value: string): value is CallbackEvent {
  return eventNames.has(value);
}
