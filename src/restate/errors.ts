import * as restate from '@restatedev/restate-sdk';
import { LlmprocError, ProviderError, type ErrorCode } from '../index.js';

/**
 * A failure that retrying cannot fix ends the run at once, as it does in-process; a transient one is
 * left to Restate, which retries the step with backoff. Transient: a provider error without an HTTP
 * status (no connection, an error event inside a stream), or with 408, 409, 429 or 5xx; and any error
 * that is not llmproc's own (a bug or an outage in code we do not know). Everything else llmproc
 * throws (a 400, missing credentials, an aborted run) is terminal.
 */
export function isTerminal(error: unknown): boolean {
  if (error instanceof restate.TerminalError) return true;
  if (!(error instanceof LlmprocError)) return false;
  if (!(error instanceof ProviderError)) return true;
  const { status } = error;
  if (error.code !== 'PROVIDER_ERROR' || status === undefined) return false;
  return !(status === 408 || status === 409 || status === 429 || status >= 500);
}

/** What a terminal failure keeps of the llmproc error, so a replay can rebuild the same error. */
function errorMetadata(error: LlmprocError): Record<string, string> {
  const metadata: Record<string, string> = { name: error.name, code: error.code };
  if (error instanceof ProviderError) {
    metadata['provider'] = error.provider;
    if (error.status !== undefined) metadata['status'] = String(error.status);
  }
  return metadata;
}

/** Codes of a run refused for what its caller sent. */
const badRequestCodes = new Set<string>([
  'EMPTY_INPUT',
  'INPUT_INVALID',
  'INVALID_OPTION',
  'STATE_INVALID',
  'OUTPUT_SCHEMA_INVALID',
]);

/** HTTP status Restate's ingress answers with for a run that failed on this error. */
function ingressStatus(error: LlmprocError): number {
  if (error.code === 'ABORTED') return 409;
  if (error.code === 'PROCESS_BUSY') return 409;
  if (badRequestCodes.has(error.code)) return 400;
  return 500;
}

/** An error as Restate records it: terminal ones as `TerminalError` carrying llmproc's name and code. */
export function toRestateError(error: unknown): unknown {
  if (!isTerminal(error) || error instanceof restate.TerminalError) return error;
  const llmprocError = error as LlmprocError;
  return new restate.TerminalError(llmprocError.message, {
    errorCode: ingressStatus(llmprocError),
    metadata: errorMetadata(llmprocError),
  });
}

/**
 * The llmproc error behind a `TerminalError` that a step recorded (live or replayed): the same class,
 * code and message as in-process. A step that ran out of retry attempts becomes a `PROVIDER_ERROR`;
 * a Restate cancellation becomes `ABORTED`.
 */
export function fromRestateError(error: unknown): unknown {
  if (!(error instanceof restate.TerminalError)) return error;
  if (error instanceof restate.CancelledError)
    return new LlmprocError('ABORTED', 'The run was cancelled through Restate', { cause: error });
  const metadata = error.metadata ?? {};
  const code = (metadata['code'] ?? 'PROVIDER_ERROR') as ErrorCode;
  const status = metadata['status'] === undefined ? undefined : Number(metadata['status']);
  if (metadata['name'] === 'ProviderError' || metadata['code'] === undefined) {
    return new ProviderError(error.message, {
      provider: metadata['provider'] ?? 'unknown',
      code,
      ...(status === undefined ? {} : { status }),
      cause: error,
    });
  }
  return new LlmprocError(code, error.message, { cause: error });
}
