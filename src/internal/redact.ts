import { isRecord } from './is-record.js';

/**
 * Credentials must never reach callbacks, logs or RunResult (a config may put a proxy token or an API
 * key in `[parameters].extra_headers`). These helpers return the payload itself when there is nothing
 * to hide, and otherwise a copy with the secret header values replaced; the request that is sent
 * keeps the real values.
 */
const secretHeader =
  /^(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie)$/i;
const headerContainers = new Set(['extra_headers', 'headers']);

export const redacted = '[redacted]';

function redactHeaderValues(headers: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const name of Object.keys(headers)) {
    if (!secretHeader.test(name)) continue;
    copy ??= { ...headers };
    copy[name] = redacted;
  }
  return copy ?? headers;
}

/** The payload with secret header values redacted wherever a `headers`/`extra_headers` table sits. */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (!isRecord(value) || depth > 4) return value;
  let copy: Record<string, unknown> | undefined;
  // Keys, not entries: this runs on every payload, and entries builds an array per key.
  for (const key of Object.keys(value)) {
    const child = value[key];
    if (!isRecord(child)) continue;
    const next = headerContainers.has(key)
      ? redactHeaderValues(child)
      : redactSecrets(child, depth + 1);
    if (next !== child) {
      copy ??= { ...value };
      copy[key] = next;
    }
  }
  return (copy ?? value) as T;
}

/**
 * A provider's payload as callbacks and RunResult see it: a plain record (the object itself when it
 * holds no secret header, so what callbacks see is what is sent), secret header values redacted.
 */
export function shownPayload(payload: object): Record<string, unknown> {
  return isRecord(payload) ? redactSecrets(payload) : {};
}
