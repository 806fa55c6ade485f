/**
 * `retry-after` for SDKs that do not read it (`@google/genai` retries on its own backoff only): a
 * fetch that, given a retryable answer with the header, waits what it asks before handing the answer
 * to the SDK, whose retry then comes no sooner than the server wanted.
 */
import { isRetryableStatus } from '../errors.js';
import { abortableDelay } from '../internal/abort.js';

/** Milliseconds a response asks to wait (`retry-after-ms`, `retry-after` seconds or HTTP date). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `fetch`, waiting (at most `maxWaitMs`) as a retryable answer's `retry-after` asks. */
export function fetchHonouringRetryAfter(maxWaitMs: number): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.ok || !isRetryableStatus(response.status)) return response;
    const wait = retryAfterMs(response.headers);
    if (wait !== undefined && wait > 0)
      await abortableDelay(Math.min(wait, maxWaitMs), init?.signal ?? undefined);
    return response;
  };
}
