/** The mock provider's script: the turns it plays, as a program's `mock` key gives them. */
export interface MockToolCall {
  name: string;
  args: Record<string, unknown>;
  /** Tool-use id; generated when absent. */
  id?: string;
}

/**
 * A scripted failure: the call rejects with a `ProviderError` (provider `"mock"`) carrying these, as
 * a real provider's call rejects once its retries are spent.
 */
export interface MockError {
  /** The HTTP status; absent for a failure without one (a cut stream, a connection reset). */
  status?: number;
  message?: string;
  /** Default: whether `status` is one every provider retries (408, 409, 429, 5xx). */
  retryable?: boolean;
  /** The API's error type (`overloaded_error`, ...), in `details.type`. */
  type?: string;
  requestId?: string;
}

/** One scripted model reply of the mock provider. */
export interface MockTurn {
  text?: string;
  toolCalls: MockToolCall[];
  /** Only played when the latest user text contains this string. */
  when?: string;
  stopReason?: string;
  usage?: { inputTokens?: number; outputTokens?: number };
  /** Wait this long before answering (an abort ends the wait at once). */
  delayMs?: number;
  /** Fail the call with this error instead of answering. */
  error?: MockError;
}

/** What the mock received, told to a script's observer when a call arrives. */
export interface MockCall {
  /** The request as `buildRequest` made it (what `api_request` showed). */
  payload: Readonly<Record<string, unknown>>;
  /** The index of the turn that answers it, or null when the script is used up. */
  turnIndex: number | null;
}

/**
 * Where a script's calls are reported (llmproc/testing's scripted model lists them). A symbol key:
 * it stays out of JSON, of config key checks and of traces, and no config file can set it.
 */
export const mockObserver: unique symbol = Symbol('llmproc.mockObserver');

export interface MockScript {
  turns: MockTurn[];
  /** What the mock answers once the script is used up. */
  fallbackText?: string;
  /** @internal Told of every call made with this script, by every process playing it. */
  [mockObserver]?: (call: MockCall) => void;
}

/**
 * `to` with the observer of `from` (the script as written, before validation copied it), so a
 * program built from a scripted model reports to it.
 */
export function keepMockObserver(from: unknown, to: MockScript | undefined): void {
  if (to === undefined || typeof from !== 'object' || from === null) return;
  const observer = (from as { [mockObserver]?: unknown })[mockObserver];
  if (typeof observer === 'function') to[mockObserver] = observer as (call: MockCall) => void;
}
