import { jsonText } from './internal/json-text.js';

/**
 * Every error llmproc throws is an {@link LlmprocError} with a string `code`, so callers can branch on
 * `err.code` without importing subclasses. Subclasses exist only where callers catch separately.
 */
export type ErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_UNSUPPORTED_FORMAT'
  | 'CONFIG_SYNTAX'
  | 'CONFIG_INVALID'
  | 'EMPTY_INPUT'
  | 'MISSING_CREDENTIALS'
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_ERROR'
  | 'ACCESS_DENIED'
  | 'TOOL_ERROR'
  | 'ABORTED'
  | 'HOOK_FAILED'
  /** `run()` on a process whose previous run has not settled. */
  | 'PROCESS_BUSY'
  /** `run()` on a process after `close()`. */
  | 'PROCESS_CLOSED'
  /** An option, parameter or setting outside what it accepts (run options, budgets, access levels). */
  | 'INVALID_OPTION'
  /** A tool definition the loop could not run: no `execute`, a bad name, a schema that is no object. */
  | 'TOOL_INVALID'
  /** A builtin tool name that does not exist. */
  | 'UNKNOWN_TOOL'
  /** A linked program name that does not exist. */
  | 'UNKNOWN_PROGRAM'
  /** A hook that is not an object with `beforeToolCall` and/or `afterToolCall`. */
  | 'HOOK_INVALID'
  /** A saved conversation given to `start({ state })` that is not one `getState()` returns. */
  | 'STATE_INVALID'
  /** An `output` schema that cannot describe the answer: not an object schema, not valid JSON Schema. */
  | 'OUTPUT_SCHEMA_INVALID'
  /** A conversation a provider cannot be sent (a tool result without its call). */
  | 'CONVERSATION_INVALID'
  /** An optional package a feature needs is not installed (`--otel`'s OpenTelemetry packages). */
  | 'DEPENDENCY_MISSING'
  /** `llmproc serve` could not register its worker with the Restate server. */
  | 'RESTATE_REGISTRATION_FAILED'
  /** A trace file that cannot be read: not JSON lines, truncated, or not an llmproc trace. */
  | 'TRACE_INVALID'
  /** A trace written in a newer format version than this llmproc reads. */
  | 'TRACE_UNSUPPORTED_VERSION'
  /** A trace that holds no model exchanges, so there is nothing to replay. */
  | 'TRACE_NOT_REPLAYABLE'
  /** A replayed run that made a request the recording does not have. */
  | 'REPLAY_DIVERGED'
  /** Writing a trace failed (reported once; the run goes on). */
  | 'TRACE_WRITE_FAILED'
  | 'OUTPUT_INVALID'
  | 'INPUT_INVALID';

export interface LlmprocErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class LlmprocError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: LlmprocErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }
}

/** A program config that cannot be found, parsed or validated. `file` and `keyPath` say where. */
export class ConfigError extends LlmprocError {
  readonly file: string | undefined;
  readonly keyPath: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: LlmprocErrorOptions & { file?: string; keyPath?: string } = {},
  ) {
    super(code, message, options);
    this.file = options.file;
    this.keyPath = options.keyPath;
  }
}

/**
 * HTTP statuses worth another attempt, on every provider: request timeout, conflict, rate limit and
 * server errors (Anthropic's 529 "overloaded" included).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * A provider API call that failed after retries. `status` is the HTTP status when there was one
 * (none for a connection failure, a cut stream, an error event inside a stream or a body that is
 * not JSON); `retryable` says whether the same request may succeed later (by default: a retryable
 * status); `requestId` is the provider's id of the request, when it sent one.
 */
export class ProviderError extends LlmprocError {
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly requestId: string | undefined;

  constructor(
    message: string,
    options: LlmprocErrorOptions & {
      provider: string;
      status?: number | undefined;
      code?: ErrorCode;
      retryable?: boolean;
      requestId?: string | undefined;
    },
  ) {
    super(options.code ?? 'PROVIDER_ERROR', message, options);
    this.provider = options.provider;
    this.status = options.status;
    this.retryable =
      options.retryable ?? (options.status !== undefined && isRetryableStatus(options.status));
    this.requestId = options.requestId;
  }
}

/** One way a structured answer fails its schema: a JSON Pointer into the answer and what is wrong. */
export interface OutputIssue {
  path: string;
  message: string;
}

/**
 * A run's final answer that is still not the JSON its `output` schema asks for after the bounded
 * retries (code OUTPUT_INVALID). `raw` is the model's last answer as text, `issues` why it failed.
 */
export class OutputInvalidError extends LlmprocError {
  readonly raw: string;
  readonly issues: OutputIssue[];

  constructor(message: string, options: { raw: string; issues: OutputIssue[] }) {
    super('OUTPUT_INVALID', message, { details: { raw: options.raw, issues: options.issues } });
    this.raw = options.raw;
    this.issues = options.issues;
  }
}

/** Raised by tool code that wants to fail with a message the model should see. */
export class ToolError extends LlmprocError {
  constructor(message: string, options: LlmprocErrorOptions = {}) {
    super('TOOL_ERROR', message, options);
  }
}

/** The text of any thrown value, for messages that must not show `[object Object]`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return jsonText(error);
}
