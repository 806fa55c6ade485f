/**
 * The trace format (docs/traces.md): JSON lines, the first a header, then process, event and
 * exchange lines in the order they happened. `version` changes only when a reader of the previous
 * version would misread a trace; fields are added without a version change, and readers ignore
 * fields they do not know.
 */
import type { JsonValue } from './json-safe.js';

/** The format name in every header, so a JSON-lines file of something else is recognised at once. */
export const traceFormatName = 'llmproc-trace';
/** The version this llmproc writes and the newest it reads. */
export const traceFormatVersion = 1;

/** First line: what wrote the trace, when, and the program(s) it ran. */
export interface TraceHeader {
  type: 'header';
  format: typeof traceFormatName;
  version: number;
  llmprocVersion: string;
  /** ISO 8601 time of the first event. */
  startTime: string;
  /**
   * Program configurations (secrets redacted), keyed `main` for the program of the first process and
   * by link name for linked programs (spawn).
   */
  programs: Record<string, JsonValue>;
}

/** A tool as the model was told about it. */
export interface TraceToolSpec {
  name: string;
  description: string;
  inputSchema: JsonValue;
}

/** Written the first time a process appears, before its first event. */
export interface TraceProcess {
  type: 'process';
  pid: number;
  parentPid?: number;
  /** Key into `header.programs`, when the process runs one of them. */
  program?: string;
  displayName: string;
  model: string;
  provider: string;
  /** The system prompt as sent (env info and preloaded files included). */
  systemPrompt: string;
  tools: TraceToolSpec[];
}

/**
 * One callback event. `args` are the event's positional arguments made JSON-safe; the other fields
 * come from the EventContext (any field it gains, such as `runId` or `turn`, is written too).
 */
export interface TraceEvent {
  type: 'event';
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  pid: number;
  parentPid?: number;
  name: string;
  args: JsonValue[];
  [contextField: string]: JsonValue | undefined;
}

/**
 * One model call: the request as sent is the argument of the `api_request` event `requestSeq`, the
 * response as received that of the `api_response` event `responseSeq` (so neither is written twice).
 */
export interface TraceExchange {
  type: 'exchange';
  pid: number;
  /** The process's turn number (1-based, counted over all its runs). */
  turn: number;
  provider: string;
  model: string;
  requestSeq: number;
  responseSeq: number;
  /** Milliseconds since the epoch when the request was made and when the response was complete. */
  startTime: number;
  endTime: number;
  durationMs: number;
}

/**
 * The options of a run that change what it does, as `run()` was given them (the program's defaults
 * are in the header's configuration). A zod `output` schema is written as the JSON Schema the run
 * sent; `signal`, `strict` and `callbackTimeoutMs` are not written. An added field of format version 1:
 * an `input` line of an older trace has none, and its run replays with the program's defaults.
 */
export interface TraceRunOptions {
  /** The structured-output JSON Schema, as sent (zod converted, `$schema` left out). */
  output?: Record<string, JsonValue>;
  outputRetries?: number;
  maxIterations?: number;
  maxTokens?: number;
  maxCostUsd?: number;
  timeoutMs?: number;
  stream?: boolean;
}

/**
 * The input of a run of a top-level process (what its caller passed to `run()`), written at the
 * run's first `turn_start`, so a replay can run the same inputs with the same options.
 */
export interface TraceInput {
  type: 'input';
  pid: number;
  /** The `seq` of the `turn_start` event it precedes. */
  seq: number;
  /** A string, or the message's blocks (tool results left out) when the input was not plain text. */
  content: JsonValue;
  /** The run's options that change what it does; absent when it was given none. */
  options?: TraceRunOptions;
}

export type TraceLine = TraceHeader | TraceProcess | TraceEvent | TraceExchange | TraceInput;
